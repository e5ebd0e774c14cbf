package io.pel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorKeysTest {

    @TempDir
    Path dir;

    @Test
    void keysAreCreatedOnceOwnerOnlyAndLoadedAgain() throws Exception {
        OperatorKeys first = OperatorKeys.loadOrCreate(dir.resolve("keys"), 3);
        assertThat(first.reporters()).hasSize(3);
        Path seed = dir.resolve("keys").resolve(OperatorKeys.ADMIN_FILE);
        assertThat(Files.readString(seed).strip()).hasSize(64);
        if (Files.getFileStore(seed).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(seed))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        OperatorKeys again = OperatorKeys.loadOrCreate(dir.resolve("keys"), 3);
        assertThat(again.adminAccount()).isEqualTo(first.adminAccount());
        assertThat(again.reporterAccounts()).isEqualTo(first.reporterAccounts());
        assertThat(first.reporterAccounts()).doesNotHaveDuplicates().doesNotContain(first.adminAccount().get());
    }

    @Test
    void theAdminKeyIsDroppedForAChainAdministeredByAnotherAccount() {
        OperatorKeys keys = OperatorKeys.loadOrCreate(dir, 2);
        assertThat(keys.forChainAdmin(keys.adminAccount()).admin()).isPresent();
        assertThat(keys.forChainAdmin(Optional.of(Keys.accountId(Keys.generate()))).admin()).isEmpty();
        assertThat(keys.forChainAdmin(Optional.empty()).admin()).isEmpty();
        // Round-robin over every reporter.
        assertThat(Set.of(Keys.accountId(keys.nextReporter()), Keys.accountId(keys.nextReporter())))
                .hasSize(2);
    }
}
