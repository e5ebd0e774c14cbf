package io.pel.cli;

import io.pel.server.PelStack;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the ledger store of a {@code --data} directory is: the directory itself, or a stack's {@code DIR/ledger}. */
final class DataDirs {

    private DataDirs() {
    }

    /**
     * {@code dir} when it holds a store (RocksDB's {@code CURRENT} file), else {@code dir/ledger} when that does (a
     * {@link PelStack} directory, as {@code pel serve} and {@code pel demo} write), else {@code dir} (the audit
     * then reports that it holds no store).
     */
    static Path ledger(Path dir) {
        Path stacked = dir.resolve(PelStack.LEDGER_DIR);
        return !isStore(dir) && isStore(stacked) ? stacked : dir;
    }

    private static boolean isStore(Path dir) {
        return Files.isRegularFile(dir.resolve("CURRENT"));
    }
}
