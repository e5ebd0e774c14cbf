package io.pel.ledger.node;

import static io.pel.ledger.node.TestChain.ascii;
import static io.pel.ledger.node.TestChain.heightKey;
import static io.pel.ledger.node.TestChain.tamper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.store.ChainRules;
import io.pel.ledger.store.LedgerStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainAuditTest {

    @TempDir
    Path dir;

    private static AuditProblem problem(AuditReport report) {
        assertThat(report.problem()).as("a problem in %s", report).isPresent();
        return report.problem().get();
    }

    /** Under the rules the store recorded. */
    private AuditReport replayAll() {
        return ChainAudit.replay(dir, 0, OptionalLong.empty(), 2);
    }

    private Block storedBlock(long height) throws Exception {
        try (LedgerStore store = LedgerStore.open(dir)) {
            return Block.decode(store.block(height).orElseThrow().toByteArray());
        }
    }

    @Test
    void aChainVerifiesAndReplaysWhileItsNodeRuns() throws Exception {
        long last = TestChain.build(dir, 3);
        try (Node node = Node.open(dir, TestChain.config())) {
            AuditReport verified = ChainAudit.verify(dir);
            assertThat(verified.ok()).as("%s", verified).isTrue();
            assertThat(verified.lastHeight()).isEqualTo(last);
            assertThat(replayAll().ok()).isTrue();
            assertThat(node.height()).isEqualTo(last);
        }
        // The audit only read: the store is as the node left it, and opens for writing again.
        try (LedgerStore store = LedgerStore.open(dir)) {
            assertThat(store.lastHeight()).hasValue(last);
        }
    }

    @Test
    void replayTimesBothExecutorsAndChecksTheStoredReceipts() throws Exception {
        long last = TestChain.build(dir, 3);
        AuditReport replayed = replayAll();
        assertThat(replayed.ok()).as("%s", replayed).isTrue();
        assertThat(replayed.sequentialNanos()).isPositive();
        assertThat(replayed.blockStmNanos()).isPositive();
        assertThat(replayed.speedup()).isPositive();

        // Block 1's receipts swapped for block 2's: the replay notices at block 1.
        byte[] other;
        try (LedgerStore store = LedgerStore.open(dir)) {
            other = store.receipts(2).orElseThrow().toByteArray();
        }
        assertThat(last).isGreaterThanOrEqualTo(2);
        tamper(dir, "receipts", heightKey(1), other);
        AuditReport tampered = replayAll();
        assertThat(tampered.problem()).get().extracting(AuditProblem::code, AuditProblem::height)
                .containsExactly(AuditProblem.Code.RECEIPT_MISMATCH, 1L);
        tamper(dir, "receipts", heightKey(1), null);
        assertThat(replayAll().problem()).get().extracting(AuditProblem::code)
                .isEqualTo(AuditProblem.Code.RECEIPT_MISMATCH);
    }

    @Test
    void aReadOnlyStoreRefusesWrites() throws Exception {
        TestChain.build(dir, 2);
        try (LedgerStore store = LedgerStore.openReadOnly(dir)) {
            assertThatThrownBy(() -> store.recordRules(store.rules().orElseThrow()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void anIntactChainVerifiesAndReplaysToItsStoredRoot() throws Exception {
        long last = TestChain.build(dir, 5);
        assertThat(last).isGreaterThanOrEqualTo(4);
        Hash stored;
        try (LedgerStore store = LedgerStore.open(dir)) {
            stored = store.stateRoot();
        }

        AuditReport verified = ChainAudit.verify(dir);
        assertThat(verified.ok()).as("%s", verified).isTrue();
        assertThat(verified.blocks()).isEqualTo(last + 1);
        assertThat(verified.transactions()).isEqualTo(4 + 4 * 5 * 4);
        assertThat(verified.stateRoot()).isEqualTo(stored);

        AuditReport replayed = replayAll();
        assertThat(replayed.ok()).as("%s", replayed).isTrue();
        assertThat(replayed.blocks()).isEqualTo(last + 1);
        assertThat(replayed.rootsCompared()).isEqualTo(last + 1);
        assertThat(replayed.stateRoot()).isEqualTo(stored);

        AuditReport part = ChainAudit.replay(dir, 2, OptionalLong.of(3), 3);
        assertThat(part.ok()).as("%s", part).isTrue();
        assertThat(part.blocks()).isEqualTo(4);
        assertThat(part.rootsCompared()).isEqualTo(2);
        assertThat(part.stateRoot()).isEqualTo(storedBlock(3).header().stateRoot());
    }

    @Test
    void anEmptyStoreVerifiesAndReplaysToTheEmptyRoot() {
        try (LedgerStore store = LedgerStore.open(dir)) {
            assertThat(store.lastHeight()).isEmpty();
        }
        assertThat(ChainAudit.verify(dir).ok()).isTrue();
        assertThat(ChainAudit.replay(dir, TestChain.admin(), 0, OptionalLong.empty(), 2).ok()).isTrue();
        // No node opened it, so it records no rules: a replay must be told the admin.
        AuditProblem noRules = problem(replayAll());
        assertThat(noRules.code()).isEqualTo(AuditProblem.Code.NO_RULES);
        assertThat(noRules.isUsageError()).isTrue();
        assertThat(ChainAudit.rules(dir)).isEmpty();
    }

    @Test
    void theNodeRecordsItsChainIdAndAdminForTheAudit() throws Exception {
        TestChain.build(dir, 2);
        assertThat(ChainAudit.rules(dir)).contains(new ChainRules(TestChain.CHAIN, TestChain.admin()));
        assertThat(ChainAudit.rules(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void aRewrittenBlockBreaksTheLinkOfTheNextOne() throws Exception {
        TestChain.build(dir, 5);
        Block original = storedBlock(2);
        BlockHeader h = original.header();
        Block forged = new Block(new BlockHeader(h.height(), h.parentHash(), h.timestampMillis() + 1,
                h.transactionRoot(), h.stateRoot()), original.transactions());
        tamper(dir, "blocks", heightKey(2), forged.encode());

        AuditProblem problem = problem(ChainAudit.verify(dir));
        assertThat(problem.code()).isEqualTo(AuditProblem.Code.PARENT_MISMATCH);
        assertThat(problem.height()).isEqualTo(3);
        assertThat(ChainAudit.verify(dir).blocks()).isEqualTo(3);
    }

    @Test
    void garbageInABlockIsReportedAtItsHeight() throws Exception {
        TestChain.build(dir, 4);
        byte[] bytes = storedBlock(1).encode();
        tamper(dir, "blocks", heightKey(1), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        AuditProblem verify = problem(ChainAudit.verify(dir));
        assertThat(verify.code()).isEqualTo(AuditProblem.Code.BLOCK_UNDECODABLE);
        assertThat(verify.height()).isEqualTo(1);
        AuditProblem replay = problem(replayAll());
        assertThat(replay.code()).isEqualTo(AuditProblem.Code.BLOCK_UNDECODABLE);
        assertThat(replay.height()).isEqualTo(1);
    }

    @Test
    void aSwappedTransactionIsCaughtByTheTransactionRoot() throws Exception {
        TestChain.build(dir, 4);
        Block b2 = storedBlock(2);
        Block b3 = storedBlock(3);
        // Block 2's header over block 3's transactions: each part decodes, the root does not match.
        byte[] header = b2.header().encode();
        byte[] body = b3.encode();
        byte[] spliced = new byte[header.length + body.length - BlockHeader.ENCODED_LENGTH];
        System.arraycopy(header, 0, spliced, 0, header.length);
        System.arraycopy(body, BlockHeader.ENCODED_LENGTH, spliced, header.length,
                body.length - BlockHeader.ENCODED_LENGTH);
        tamper(dir, "blocks", heightKey(2), spliced);
        AuditProblem problem = problem(ChainAudit.verify(dir));
        assertThat(problem.code()).isEqualTo(AuditProblem.Code.TRANSACTION_ROOT_MISMATCH);
        assertThat(problem.height()).isEqualTo(2);
    }

    @Test
    void aTransactionMissingFromTheIndexIsReported() throws Exception {
        TestChain.build(dir, 4);
        Hash tx = storedBlock(3).transactions().get(1).hash();
        tamper(dir, "tx_index", tx.toByteArray(), null);
        AuditProblem problem = problem(ChainAudit.verify(dir));
        assertThat(problem.code()).isEqualTo(AuditProblem.Code.TRANSACTION_NOT_INDEXED);
        assertThat(problem.height()).isEqualTo(3);
        assertThat(problem.message()).contains("transaction 1").contains(tx.toHex());
    }

    @Test
    void aWrongStoredStateRootIsReportedByVerifyAndReplay() throws Exception {
        long last = TestChain.build(dir, 4);
        tamper(dir, "meta", ascii("state_root"), Hash.sha256(new byte[] {1}).toByteArray());
        AuditProblem verify = problem(ChainAudit.verify(dir));
        assertThat(verify.code()).isEqualTo(AuditProblem.Code.STATE_ROOT_MISMATCH);
        assertThat(verify.height()).isEqualTo(last);
        AuditProblem replay = problem(replayAll());
        assertThat(replay.code()).isEqualTo(AuditProblem.Code.STATE_ROOT_MISMATCH);
        assertThat(replay.height()).isEqualTo(last);
        assertThat(replay.message()).contains("the store holds");
    }

    @Test
    void aChangedBalanceNoLongerHashesToTheStoredRoot() throws Exception {
        TestChain.build(dir, 3);
        Bytes key = StateLayout.balanceKey(Keys.accountId(TestChain.USERS.get(0)));
        tamper(dir, "state", key.toByteArray(), StateLayout.encodeLong(1_000_000).toByteArray());
        AuditProblem problem = problem(ChainAudit.verify(dir));
        assertThat(problem.code()).isEqualTo(AuditProblem.Code.STATE_TREE_MISMATCH);
    }

    @Test
    void aMissingTreeNodeIsReported() throws Exception {
        TestChain.build(dir, 3);
        Hash root;
        try (LedgerStore store = LedgerStore.open(dir)) {
            root = store.stateRoot();
        }
        tamper(dir, "tree_nodes", root.toByteArray(), null);
        AuditProblem problem = problem(ChainAudit.verify(dir));
        assertThat(problem.code()).isEqualTo(AuditProblem.Code.STATE_TREE_MISMATCH);
        assertThat(problem.message()).contains("lacks");
    }

    @Test
    void replayingUnderOtherRulesDivergesAtTheFirstBlock() throws Exception {
        TestChain.build(dir, 3);
        // Without the admin, block 0's mints fail: its root differs from the header's.
        AuditProblem problem = problem(ChainAudit.replay(dir, Optional.empty(), 0, OptionalLong.empty(), 2));
        assertThat(problem.code()).isEqualTo(AuditProblem.Code.STATE_ROOT_MISMATCH);
        assertThat(problem.height()).isEqualTo(0);
    }

    @Test
    void badRequestsAreUsageProblems() throws Exception {
        AuditProblem none = problem(ChainAudit.verify(dir.resolve("absent")));
        assertThat(none.code()).isEqualTo(AuditProblem.Code.NO_STORE);
        assertThat(none.isUsageError()).isTrue();
        assertThat(problem(ChainAudit.verify(dir)).code()).isEqualTo(AuditProblem.Code.NO_STORE);

        long last = TestChain.build(dir, 2);
        AuditProblem past = problem(ChainAudit.replay(dir, TestChain.admin(), 0, OptionalLong.of(last + 1), 2));
        assertThat(past.code()).isEqualTo(AuditProblem.Code.BAD_RANGE);
        AuditProblem backwards = problem(ChainAudit.replay(dir, TestChain.admin(), 1, OptionalLong.of(0), 2));
        assertThat(backwards.code()).isEqualTo(AuditProblem.Code.BAD_RANGE);
        assertThat(backwards.isUsageError()).isTrue();
    }
}
