package io.pel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pel.core.BlockStats;
import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.BlockTimings;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.NodeConfig;
import io.pel.ledger.node.Rejection;

/**
 * The ledger end to end, in one process: a {@link Node} on a data directory with durable commits, and a client
 * that submits pre-signed transfers to it in batches and waits for every commit. What {@code pel ledger-bench}
 * runs.
 *
 * <p>Setup (not timed): key pairs from the seed, one admin mint per account (in chunks the admin's nonce window
 * admits, each waited for), and every transfer signed and encoded. Transfer {@code i} is sent by account
 * {@code i mod A} with nonce {@code i / A} to another seeded account, for 1 to 100: accounts take turns, so each
 * sender's nonces arrive in order, and no transfer can fail (a failed one would not use up its nonce and would
 * leave a gap). Timed: from the first submission until the last commit future completed.
 *
 * <p>Back-pressure: the client keeps at most {@code min(mempoolSize, nonceWindow / 2 × A)} transfers
 * unacknowledged, so the mempool never fills and no sender runs past its nonce window; should a submission
 * still be answered {@code MEMPOOL_FULL} or {@code NONCE_TOO_FAR}, it is resubmitted (and counted) once some
 * commits came in. Any other rejection, a failed or missing commit, or a chain that does not hold exactly the
 * submitted transactions fails the run.
 */
final class LedgerBench {

    static final ChainId CHAIN = ChainId.of("pel-ledger-bench");
    /** Enough that no transfer (at most 100 each) can run an account dry. */
    static final long MINT_AMOUNT = 1_000_000_000L;
    /** A hang detector only: the run fails if no commit arrives for this long. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(120);
    /** Resubmissions of one transaction, at most. */
    static final int MAX_RESUBMISSIONS = 10_000;

    record Settings(int accounts, int transactions, int batch, int threads, int blockMaxTxs,
                    Duration blockInterval, long seed, Path data) {
    }

    /** What a run measured; {@code problem} is null when every check passed. */
    record Result(Settings settings, int committed, long elapsedNanos, long[] sortedLatencyNanos,
                  List<BlockTimings> blocks, int setupBlocks, int resubmitted, long chainHeight,
                  long chainTransactions, String problem) {

        double tps() {
            return elapsedNanos == 0 ? 0 : committed * 1e9 / elapsedNanos;
        }

        /** The latency at quantile {@code q} (0 < q ≤ 1), in milliseconds: the smallest value with q of them at or below it. */
        double latencyMs(double q) {
            if (sortedLatencyNanos.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(q * sortedLatencyNanos.length) - 1;
            return sortedLatencyNanos[Math.max(0, Math.min(index, sortedLatencyNanos.length - 1))] / 1e6;
        }

        double averageBlockTxs() {
            return blocks.isEmpty() ? 0 : blocks.stream().mapToInt(BlockTimings::transactions).sum()
                    / (double) blocks.size();
        }

        /** Signatures (at admission) plus production: the time a block costs, summed over the timed blocks. */
        long blockNanos() {
            return blocks.stream().mapToLong(b -> b.signatureNanos() + b.totalNanos()).sum();
        }

        double averageBlockMs() {
            return blocks.isEmpty() ? 0 : blockNanos() / 1e6 / blocks.size();
        }

        /** A phase's share of {@link #blockNanos}, over all timed blocks (so larger blocks weigh more). */
        double share(java.util.function.ToLongFunction<BlockTimings> phase) {
            long total = blockNanos();
            return total == 0 ? 0 : blocks.stream().mapToLong(phase).sum() / (double) total;
        }

        long blocksOnPath(BlockStats.Path path) {
            return blocks.stream().filter(b -> b.engine().path() == path).count();
        }

        /** Blocks run on several workers, with either parallel algorithm. */
        long parallelBlocks() {
            return blocks.stream().filter(b -> b.engine().path().parallel()).count();
        }

        double reexecutionsPerTx() {
            long txs = blocks.stream().mapToLong(BlockTimings::transactions).sum();
            return txs == 0 ? 0 : blocks.stream().mapToLong(b -> b.engine().reexecutions()).sum() / (double) txs;
        }

        boolean ok() {
            return problem == null;
        }
    }

    private final Settings settings;

    LedgerBench(Settings settings) {
        this.settings = settings;
    }

    Result run() throws IOException, InterruptedException {
        boolean temporary = settings.data() == null;
        Path data = temporary ? Files.createTempDirectory("pel-ledger-bench-") : settings.data();
        try {
            return run(data);
        } finally {
            if (temporary) {
                DataDirs.deleteTree(data);
            }
        }
    }

    private Result run(Path data) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(settings.seed());
        KeyPair admin = Keys.fromSeed(seed(random));
        List<KeyPair> accounts = new ArrayList<>(settings.accounts());
        for (int i = 0; i < settings.accounts(); i++) {
            accounts.add(Keys.fromSeed(seed(random)));
        }
        NodeConfig config = NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(admin))
                .withThreads(settings.threads()).withBlockMaxTxs(settings.blockMaxTxs())
                .withBlockInterval(settings.blockInterval());
        List<BlockTimings> heard = new CopyOnWriteArrayList<>();
        try (Node node = Node.open(data, config, heard::add)) {
            mint(node, admin, accounts);
            long setupHeight = node.height();
            List<byte[]> transfers = signTransfers(accounts, random);
            Timed timed = submitAndAwait(node, transfers);

            List<BlockTimings> measured = heard.stream().filter(b -> b.height() > setupHeight)
                    .sorted(Comparator.comparingLong(BlockTimings::height)).toList();
            long chainTransactions = 0;
            for (long h = 0; h <= node.height(); h++) {
                chainTransactions += node.block(h).orElseThrow().transactions().size();
            }
            String problem = timed.problem;
            long expected = (long) settings.accounts() + settings.transactions();
            if (problem == null && chainTransactions != expected) {
                problem = "the chain holds " + chainTransactions + " transactions, " + expected + " were submitted";
            }
            if (problem == null && heard.size() != node.height() + 1) {
                problem = "the chain is at height " + node.height() + ", but " + heard.size() + " blocks were reported";
            }
            return new Result(settings, timed.committed, timed.elapsedNanos, timed.sortedLatencies, measured,
                    (int) (setupHeight + 1), timed.resubmitted, node.height(), chainTransactions, problem);
        }
    }

    private static byte[] seed(SplittableRandom random) {
        byte[] seed = new byte[Keys.SEED_LENGTH];
        random.nextBytes(seed);
        return seed;
    }

    /** One mint per account, in chunks of the admin's nonce window, each chunk committed before the next. */
    private static void mint(Node node, KeyPair admin, List<KeyPair> accounts) throws InterruptedException {
        int chunk = node.config().nonceWindow();
        for (int start = 0; start < accounts.size(); start += chunk) {
            List<byte[]> mints = new ArrayList<>();
            for (int i = start; i < Math.min(start + chunk, accounts.size()); i++) {
                mints.add(SignedTransaction.sign(admin, CHAIN, i,
                        new Payload.Mint(Keys.accountId(accounts.get(i)), MINT_AMOUNT)).encode());
            }
            for (Admission admission : node.submitAll(mints)) {
                if (!(admission instanceof Admission.Accepted accepted)) {
                    throw new IllegalStateException("a setup mint was rejected: " + admission);
                }
                Committed committed = await(accepted);
                if (!committed.succeeded()) {
                    throw new IllegalStateException("a setup mint failed: " + committed.outcome());
                }
            }
        }
    }

    private static Committed await(Admission.Accepted accepted) throws InterruptedException {
        try {
            return accepted.committed().get(STALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a setup mint was not committed: " + e, e);
        }
    }

    private List<byte[]> signTransfers(List<KeyPair> accounts, SplittableRandom random) {
        int a = accounts.size();
        List<AccountId> ids = accounts.stream().map(Keys::accountId).toList();
        List<byte[]> encoded = new ArrayList<>(settings.transactions());
        for (int i = 0; i < settings.transactions(); i++) {
            int sender = i % a;
            int recipient = (sender + 1 + random.nextInt(a - 1)) % a;
            encoded.add(SignedTransaction.sign(accounts.get(sender), CHAIN, i / a,
                    new Payload.Transfer(ids.get(recipient), 1 + random.nextInt(100))).encode());
        }
        return encoded;
    }

    private record Timed(int committed, long elapsedNanos, long[] sortedLatencies, int resubmitted, String problem) {
    }

    /** The timed phase: every transfer submitted, acknowledged and committed, or a problem. */
    private Timed submitAndAwait(Node node, List<byte[]> transfers) throws InterruptedException {
        int n = transfers.size();
        int window = (int) Math.min(node.config().mempoolSize(),
                Math.max(1, (long) node.config().nonceWindow() / 2 * settings.accounts()));
        int batch = Math.min(settings.batch(), window);
        Semaphore unacknowledged = new Semaphore(window);
        long[] submitted = new long[n];
        long[] committedAt = new long[n];
        int[] attempts = new int[n];
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        List<String> problems = new CopyOnWriteArrayList<>();
        int resubmitted = 0;

        long start = System.nanoTime();
        int next = 0;
        ArrayDeque<Integer> retry = new ArrayDeque<>();
        while ((next < n || !retry.isEmpty()) && problems.isEmpty()) {
            // Resubmissions first: they hold their senders' lower nonces.
            List<Integer> indexes = new ArrayList<>(batch);
            while (indexes.size() < batch && !retry.isEmpty()) {
                indexes.add(retry.poll());
            }
            while (indexes.size() < batch && next < n) {
                indexes.add(next++);
            }
            if (!unacknowledged.tryAcquire(indexes.size(), STALL_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                problems.add("no commit for " + STALL_LIMIT.toSeconds() + " s; " + done.getCount()
                        + " transfers still unacknowledged");
                break;
            }
            long now = System.nanoTime();
            List<byte[]> encoded = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                if (attempts[i]++ == 0) {
                    submitted[i] = now;
                }
                encoded.add(transfers.get(i));
            }
            List<Admission> answers = node.submitAll(encoded);
            for (int k = 0; k < indexes.size(); k++) {
                int i = indexes.get(k);
                switch (answers.get(k)) {
                    case Admission.Accepted accepted -> accepted.committed().whenComplete((c, e) -> {
                        committedAt[i] = System.nanoTime();
                        lastProgress.set(committedAt[i]);
                        if (e != null) {
                            problems.add("transfer " + i + " was not committed: " + e);
                        } else if (!c.succeeded()) {
                            problems.add("transfer " + i + " failed: " + c.outcome());
                        } else {
                            succeeded.incrementAndGet();
                        }
                        unacknowledged.release();
                        done.countDown();
                    });
                    case Admission.Rejected rejected -> {
                        unacknowledged.release();
                        Rejection.Code code = rejected.code();
                        if ((code == Rejection.Code.MEMPOOL_FULL || code == Rejection.Code.NONCE_TOO_FAR)
                                && attempts[i] <= MAX_RESUBMISSIONS) {
                            retry.add(i);
                            resubmitted++;
                        } else {
                            problems.add("transfer " + i + " was rejected: " + rejected.rejection());
                            done.countDown();
                        }
                    }
                }
            }
            if (!retry.isEmpty()) {
                Thread.sleep(1);   // let some commits come in before resubmitting
            }
        }
        while (problems.isEmpty() && !done.await(1, TimeUnit.SECONDS)) {
            if (System.nanoTime() - lastProgress.get() > STALL_LIMIT.toNanos()) {
                problems.add("no commit for " + STALL_LIMIT.toSeconds() + " s; " + done.getCount()
                        + " transfers still unacknowledged");
            }
        }
        long end = Arrays.stream(committedAt).max().orElse(start);
        long[] latencies = new long[n];
        int measured = 0;
        for (int i = 0; i < n; i++) {
            if (committedAt[i] != 0) {
                latencies[measured++] = committedAt[i] - submitted[i];
            }
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        String problem = problems.isEmpty() ? null : problems.getFirst();
        if (problem == null && succeeded.get() != n) {
            problem = succeeded.get() + " of " + n + " transfers committed";
        }
        return new Timed(succeeded.get(), Math.max(0, end - start), sorted, resubmitted, problem);
    }
}
