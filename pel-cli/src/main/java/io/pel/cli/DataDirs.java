package io.pel.cli;

import io.pel.server.PelStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

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

    /** Deletes {@code dir} and everything below it (what is already gone is fine). */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
