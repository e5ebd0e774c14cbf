package io.pel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.pel.core.BlockStats;
import io.pel.ledger.node.Block;
import io.pel.ledger.node.BlockTimings;
import io.pel.ledger.node.NodeConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel ledger-bench}: {@link LedgerBench}, the ledger end to end with durable commits. A command of its
 * own rather than a {@code pel bench} option: {@code bench} compares executors on in-memory blocks, this runs
 * one node with its storage, and shares none of its options. Exit code 0 when every transfer was acknowledged
 * and the chain holds exactly what was submitted, 1 otherwise, 2 for a bad command line.
 */
@Command(name = "ledger-bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a ledger node with durable (synced) commits and an in-process client: mints to every account, "
                    + "signs the transfers (not timed), then submits them in batches and waits for every commit.",
            "Reports committed transfers per second, submit-to-commit latency percentiles, blocks, and where a "
                    + "block's time goes: signature checks at admission, execution, Merkle update, RocksDB write.",
            "Figures to read, not a pass/fail test; fails (exit 1) only if a transfer is not committed or the "
                    + "chain does not hold exactly what was submitted."
        })
final class LedgerBenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--accounts", paramLabel = "A", defaultValue = "1000",
            description = "Accounts, each minted to once and then sending in turn (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--transactions", paramLabel = "T", defaultValue = "20000",
            description = "Transfers submitted and timed (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "500",
            description = "Transfers per submitAll call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", paramLabel = "N",
            description = "The node's engine and Merkle threads (default: available processors).")
    Integer threads;

    @Option(names = "--block-max-txs", paramLabel = "N", defaultValue = "" + NodeConfig.DEFAULT_BLOCK_MAX_TXS,
            description = "A block is made as soon as this many transactions are ready (default: ${DEFAULT-VALUE}).")
    int blockMaxTxs;

    @Option(names = "--block-interval-ms", paramLabel = "MS", defaultValue = "200",
            description = "Otherwise a block is made this long after the last one (default: ${DEFAULT-VALUE}).")
    long blockIntervalMs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of keys and transfers (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory for the node, which must not hold a store yet; it is kept "
                    + "(default: a temporary directory, deleted afterwards).")
    Path data;

    @Option(names = "--json", description = "Print one JSON object instead of the readable report.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        require(accounts >= 2 && accounts <= 1_000_000, "--accounts must be in 2..1000000, got " + accounts);
        require(transactions >= 1, "--transactions must be at least 1, got " + transactions);
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(threadCount >= 1 && threadCount <= 1024, "--threads must be in 1..1024, got " + threadCount);
        require(blockMaxTxs >= 1 && blockMaxTxs <= Block.MAX_TRANSACTIONS,
                "--block-max-txs must be in 1.." + Block.MAX_TRANSACTIONS + ", got " + blockMaxTxs);
        require(blockIntervalMs >= 1 && blockIntervalMs <= 3_600_000,
                "--block-interval-ms must be in 1..3600000, got " + blockIntervalMs);
        require(data == null || !Files.exists(data.resolve("CURRENT")),
                "--data " + data + " holds a store already; give an empty or new directory");

        LedgerBench.Result result = new LedgerBench(new LedgerBench.Settings(accounts, transactions, batch,
                threadCount, blockMaxTxs, Duration.ofMillis(blockIntervalMs), seed, data)).run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(result) : text(result));
        out.flush();
        return result.ok() ? 0 : 1;
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    static String text(LedgerBench.Result r) {
        LedgerBench.Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "PEL ledger bench: %,d transfers among %,d accounts, batches of %,d, "
                + "blocks of at most %,d, %d threads, durable commits (%s)%n", s.transactions(), s.accounts(),
                s.batch(), s.blockMaxTxs(), s.threads(), s.data() == null ? "temporary directory" : s.data()));
        b.append(String.format(Locale.ROOT, "  %-22s %,d of %,d in %,.1f ms: %,.0f tx/s%n", "committed",
                r.committed(), s.transactions(), r.elapsedNanos() / 1e6, r.tps()));
        b.append(String.format(Locale.ROOT, "  %-22s p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                "submit-to-commit", r.latencyMs(0.50), r.latencyMs(0.95), r.latencyMs(0.99), r.latencyMs(1.0)));
        b.append(String.format(Locale.ROOT, "  %-22s %,d, %.1f transfers each on average (setup: %,d blocks of mints)%n",
                "blocks", r.blocks().size(), r.averageBlockTxs(), r.setupBlocks()));
        b.append(String.format(Locale.ROOT, "  %-22s %.1f ms on average: signatures %.1f%%, execution %.1f%%, "
                + "Merkle %.1f%%, RocksDB write %.1f%%, other %.1f%%%n", "block time",
                r.averageBlockMs(), 100 * r.share(BlockTimings::signatureNanos),
                100 * r.share(BlockTimings::executionNanos), 100 * r.share(BlockTimings::merkleNanos),
                100 * r.share(BlockTimings::writeNanos), 100 * r.share(BlockTimings::otherNanos)));
        b.append(String.format(Locale.ROOT, "  %-22s %d blocks parallel, %d sequential; %.4f re-executions per "
                + "transfer%n", "engine", r.parallelBlocks(),
                r.blocksOnPath(BlockStats.Path.SEQUENTIAL), r.reexecutionsPerTx()));
        b.append(String.format(Locale.ROOT, "  %-22s %,d%n", "resubmitted", r.resubmitted()));
        b.append(String.format(Locale.ROOT, "  %-22s height %,d, %,d transactions: %s%n", "chain", r.chainHeight(),
                r.chainTransactions(), r.ok() ? "every transfer acknowledged and on the chain"
                        : "FAILED — " + r.problem()));
        return b.toString();
    }

    static String json(LedgerBench.Result r) {
        LedgerBench.Settings s = r.settings();
        return String.format(Locale.ROOT, "{\"transactions\":%d,\"accounts\":%d,\"batch\":%d,\"threads\":%d,"
                        + "\"block_max_txs\":%d,\"block_interval_ms\":%d,\"seed\":%d,\"committed\":%d,"
                        + "\"elapsed_ms\":%.3f,\"tps\":%.1f,\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"p99_ms\":%.3f,"
                        + "\"max_ms\":%.3f,\"blocks\":%d,\"avg_block_txs\":%.2f,\"avg_block_ms\":%.3f,"
                        + "\"signature_share\":%.4f,\"execution_share\":%.4f,\"merkle_share\":%.4f,"
                        + "\"write_share\":%.4f,\"other_share\":%.4f,\"parallel_blocks\":%d,"
                        + "\"sequential_blocks\":%d,\"reexec_per_tx\":%.4f,\"resubmitted\":%d,\"chain_height\":%d,"
                        + "\"chain_transactions\":%d,\"ok\":%b%s}%n",
                s.transactions(), s.accounts(), s.batch(), s.threads(), s.blockMaxTxs(),
                s.blockInterval().toMillis(), s.seed(), r.committed(), r.elapsedNanos() / 1e6, r.tps(),
                r.latencyMs(0.50), r.latencyMs(0.95), r.latencyMs(0.99), r.latencyMs(1.0), r.blocks().size(),
                r.averageBlockTxs(), r.averageBlockMs(), r.share(BlockTimings::signatureNanos),
                r.share(BlockTimings::executionNanos), r.share(BlockTimings::merkleNanos),
                r.share(BlockTimings::writeNanos), r.share(BlockTimings::otherNanos),
                r.parallelBlocks(), r.blocksOnPath(BlockStats.Path.SEQUENTIAL),
                r.reexecutionsPerTx(), r.resubmitted(), r.chainHeight(), r.chainTransactions(), r.ok(),
                r.ok() ? "" : ",\"problem\":\"" + escape(r.problem()) + "\"");
    }

    private static String escape(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
