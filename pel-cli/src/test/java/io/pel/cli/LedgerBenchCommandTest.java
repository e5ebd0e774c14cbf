package io.pel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import io.pel.ledger.node.AuditReport;
import io.pel.ledger.node.ChainAudit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** Small runs of {@code pel ledger-bench}: what it reports, never how fast. */
class LedgerBenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cmd = PelCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** A run small enough for a test: {@code transactions} transfers among 20 accounts, small blocks. */
    private static String[] small(int transactions, String... more) {
        List<String> args = new ArrayList<>(List.of("ledger-bench", "--transactions", "" + transactions,
                "--accounts", "20", "--batch", "60", "--block-max-txs", "100", "--block-interval-ms", "5",
                "--threads", "2"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aSmallRunCommitsEveryTransferAndReportsEachFigure() {
        assertEquals(0, run(small(500)), err::toString);
        String report = out.toString();
        assertTrue(report.contains("500 transfers among 20 accounts"), report);
        assertTrue(report.contains("committed              500 of 500 in "), report);
        assertTrue(report.contains(" tx/s"), report);
        for (String field : new String[] {"submit-to-commit", "p50 ", "p95 ", "p99 ", "max ", "blocks ",
            "transfers each on average", "signatures ", "execution ", "Merkle ", "RocksDB write ", "other ",
            "engine ", "re-executions per transfer", "resubmitted ",
            "520 transactions: every transfer acknowledged and on the chain"}) {
            assertTrue(report.contains(field), () -> field + " missing in\n" + report);
        }
    }

    @Test
    void jsonIsOneObjectWithEveryField() {
        assertEquals(0, run(small(500, "--json")), err::toString);
        String json = out.toString().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), json);
        for (String field : new String[] {"transactions\":500", "accounts\":20", "committed\":500", "tps",
            "p50_ms", "p95_ms", "p99_ms", "max_ms", "blocks", "avg_block_txs", "avg_block_ms",
            "signature_share", "execution_share", "merkle_share", "write_share", "other_share",
            "parallel_blocks", "sequential_blocks", "reexec_per_tx", "resubmitted", "chain_height",
            "chain_transactions\":520", "ok\":true"}) {
            assertTrue(json.contains("\"" + field), () -> field + " missing in " + json);
        }
    }

    @Test
    void aKeptDataDirectoryHoldsAChainThatReplays() throws Exception {
        Path data = dir.resolve("chain");
        assertEquals(0, run(small(200, "--data", data.toString())), err::toString);
        assertTrue(Files.exists(data.resolve("CURRENT")));
        AuditReport replayed = ChainAudit.replay(data, 0, OptionalLong.empty(), 2);
        assertTrue(replayed.ok(), replayed::toString);
        assertEquals(220, replayed.transactions());
        // A store that is there already would mix runs: refused.
        assertEquals(2, run(small(200, "--data", data.toString())));
        assertTrue(err.toString().contains("holds a store already"), err::toString);
    }

    @Test
    void fewAccountsStillCommitEverything() {
        // 2 accounts: the nonce window, not the mempool, bounds what the client keeps in flight.
        assertEquals(0, run("ledger-bench", "--transactions", "300", "--accounts", "2", "--batch", "100",
                "--block-interval-ms", "5", "--threads", "2"), err::toString);
        assertTrue(out.toString().contains("302 transactions: every transfer acknowledged"), out::toString);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, run("ledger-bench", "--accounts", "1"));
        assertEquals(2, run("ledger-bench", "--batch", "0"));
        assertEquals(2, run("ledger-bench", "--block-max-txs", "0"));
        assertEquals(2, run("ledger-bench", "--threads", "0"));
    }
}
