package io.pel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pel.core.BlockStats;
import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Applications;
import io.pel.ledger.node.AuditReport;
import io.pel.ledger.node.ChainAudit;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.CommittedBlock;
import io.pel.ledger.node.NodeConfig;
import io.pel.referral.Flag;
import io.pel.referral.ReferralApp;
import io.pel.referral.ReferralBlocks.Item;
import io.pel.referral.ReferralEvent;
import io.pel.referral.ReferralService;
import io.pel.referral.ReferralViews;
import io.pel.referral.ReferralWorkload;
import io.pel.server.OperatorKeys;
import io.pel.server.PelServer;
import io.pel.server.PelStack;
import io.pel.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel demo}: the whole product on one machine. Opens a node with the referral program on a fresh data
 * directory, creates a campaign, drives referral traffic (the bench's referral workload: Zipf-distributed
 * referrers, multi-level rewards, a share of fraud) through the real admission path — signed, checked, batched
 * into blocks, executed by the parallel engine, committed to RocksDB — then reports what happened and proves a
 * participant's rewards against the state root. Then it serves the dashboard until Ctrl-C (unless
 * {@code --no-serve}).
 *
 * <p>Exit code 0 when every event was committed, the chain replays identically and the proof verifies; 1
 * otherwise; 2 for a bad command line.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs PEL end to end: a node with the referral program on a fresh data directory, a demo campaign, "
                    + "generated referral traffic signed and submitted through the real admission path, then a "
                    + "report (throughput, parallel speed-up, re-executions, leaderboard, funnel, fraud caught, a "
                    + "participant's reward proof verified against the state root).",
            "Then serves the dashboard at http://localhost:8080 until Ctrl-C; --no-serve exits after the report."
        },
        sortOptions = false)
final class DemoCommand implements Callable<Integer> {

    /** Written into a data directory the demo made, so a later run may wipe it and no other. */
    static final String MARKER = ".pel-demo";
    static final String CAMPAIGN = "spring-referrals";
    /** Events per submitted batch; two batches at most are in flight. */
    private static final int BATCH = 500;
    private static final Duration COMMIT_TIMEOUT = Duration.ofMinutes(2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "pel-data/demo",
            description = "Data directory, wiped and made afresh if an earlier demo made it; any other non-empty "
                    + "directory is refused (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--events", paramLabel = "N", defaultValue = "20000",
            description = "Referral events to generate and submit (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--participants", paramLabel = "P", defaultValue = "2000",
            description = "Participants who join the campaign and refer (default: ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--threads", paramLabel = "T",
            description = "Engine worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-serve", description = "Exit after the report instead of serving the dashboard.")
    boolean noServe;

    @Option(names = "--json", description = "Print the report as one JSON object (progress still goes to stderr).")
    boolean json;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "Dashboard and API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:PEL_ADMIN_TOKEN}",
            description = "Bearer token for the dashboard's admin actions (default: $PEL_ADMIN_TOKEN, else a "
                    + "random one, printed).")
    String adminToken;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || events > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--events must be in 1..10000000, got " + events);
        }
        if (participants < 2 || participants > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--participants must be in 2..1000000, got "
                    + participants);
        }
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1 || threadCount > 256) {
            throw new ParameterException(spec.commandLine(), "--threads must be in 1..256, got " + threadCount);
        }
        prepare(data);

        KeyPair admin = ReferralWorkload.key("pel-demo-admin");
        NodeConfig config = NodeConfig.defaults(ChainId.of("pel-demo")).withAdmin(Keys.accountId(admin))
                .withThreads(threadCount).withBlockMaxTxs(1000).withBlockInterval(Duration.ofMillis(100))
                .withMempoolSize(20_000).withTrace(true);
        PelStack stack = PelStack.open(data, config);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "pel-demo-shutdown"));
        EngineTally tally = new EngineTally();
        stack.addListener(tally::add);
        ReferralWorkload workload = new ReferralWorkload(
                new ReferralWorkload.Config(seed, participants, 32, 1.1, 0.05), admin, CAMPAIGN);
        Traffic traffic = new Traffic(stack.referral());

        status("pel demo: node on " + data.toAbsolutePath() + ", " + threadCount + " engine threads");
        // The campaign and its reporters first (a join needs the campaign), then the joins.
        List<Item> setup = workload.setup();
        List<Item> adminCalls = setup.stream().filter(i -> i.sender() == admin).toList();
        List<Item> joins = setup.stream().filter(i -> i.sender() != admin).toList();
        traffic.run("campaign", adminCalls, false);
        List<Committed> joined = traffic.run("joins", joins, !json);
        Map<AccountId, String> codes = new HashMap<>();
        for (Committed c : joined) {
            for (ReferralEvent e : ReferralService.events(c)) {
                if (e instanceof ReferralEvent.Joined j) {
                    codes.put(j.participant(), j.code());
                }
            }
        }
        workload.useCodes(codes);

        tally.start(stack.node().height() + 1);
        long start = System.nanoTime();
        List<Item> stream = new ArrayList<>(events);
        while (stream.size() < events) {
            stream.addAll(workload.nextBlock(Math.min(BATCH, events - stream.size())));
        }
        List<Committed> committed = traffic.run("referral events", stream.subList(0, events), !json);
        double seconds = (System.nanoTime() - start) / 1e9;

        status("pel demo: replaying the chain sequentially and with Block-STM to check and time it…");
        // Twice: the first pass also compiles both executors' code (Block-STM's is colder after a short run);
        // the second is the one timed. Both must match the chain.
        AuditReport first = ChainAudit.replay(data.resolve(PelStack.LEDGER_DIR),
                Applications.of(new ReferralApp()), 0, OptionalLong.empty(), threadCount);
        AuditReport replay = !first.ok() ? first : ChainAudit.replay(data.resolve(PelStack.LEDGER_DIR),
                Applications.of(new ReferralApp()), 0, OptionalLong.empty(), threadCount);
        Report report = report(stack, tally, traffic, committed, seconds, replay);
        print(report);

        boolean ok = report.proofVerified() && replay.ok() && traffic.notCommitted() == 0;
        if (noServe) {
            stack.close();
            return ok ? 0 : 1;
        }
        String token = adminToken != null && !adminToken.isBlank() ? adminToken
                : java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(16));
        PelServer server;
        try {
            // The dashboard signs admin actions (approve, reject) with the demo's admin key, and records link
            // clicks (/r/{code}) with the reporters the campaign already authorized.
            server = stack.serve(ServerConfig.defaults().withPort(port).withAdminToken(token),
                    OperatorKeys.of(admin, workload.reporters()), List.of());
        } catch (RuntimeException e) {
            status("pel demo: cannot serve on port " + port + " (" + e.getMessage() + "); use --port or --no-serve");
            stack.close();
            return 1;
        }
        status("pel demo: dashboard at " + server.url() + "/  (admin token: " + token + "); Ctrl-C stops");
        new CountDownLatch(1).await(); // until the shutdown hook closes the stack and the JVM exits
        return ok ? 0 : 1;
    }

    /** Makes {@code dir} an empty demo directory: wipes one an earlier demo made, refuses anything else. */
    private void prepare(Path dir) throws IOException {
        if (Files.exists(dir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new ParameterException(spec.commandLine(), dir + " is not empty and was not made by pel demo: "
                        + "choose another --data");
            }
            if (!empty) {
                DataDirs.deleteTree(dir);
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by pel demo; the next pel demo run wipes this directory\n");
    }

    private void status(String line) {
        System.err.println(line);
    }

    // ---- traffic ----

    /** Signs items with each sender's next nonce and submits them in batches, two batches in flight at most. */
    private final class Traffic {
        private final ReferralService referral;
        private final Map<AccountId, Long> nonces = new HashMap<>();
        private final Map<String, Long> rejected = new LinkedHashMap<>();
        private long notCommitted;

        Traffic(ReferralService referral) {
            this.referral = referral;
        }

        List<Committed> run(String what, List<Item> items, boolean progress) throws Exception {
            List<CompletableFuture<Committed>> futures = new ArrayList<>(items.size());
            try (ProgressBar bar = progress ? new ProgressBarBuilder().setTaskName(what).setInitialMax(items.size())
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                            System.err)).setUpdateIntervalMillis(200).build() : null) {
                List<CompletableFuture<Committed>> previous = List.of();
                for (int from = 0; from < items.size(); from += BATCH) {
                    List<Item> batch = items.subList(from, Math.min(items.size(), from + BATCH));
                    List<SignedTransaction> signed = sign(batch);
                    List<Admission> admissions = referral.node().submitAll(
                            signed.stream().map(SignedTransaction::encode).toList());
                    List<CompletableFuture<Committed>> current = new ArrayList<>(batch.size());
                    for (int i = 0; i < admissions.size(); i++) {
                        switch (admissions.get(i)) {
                            case Admission.Accepted a -> {
                                CompletableFuture<Committed> f = a.committed();
                                if (bar != null) {
                                    f.thenRun(bar::step);
                                }
                                current.add(f);
                            }
                            case Admission.Rejected r -> {
                                rejected.merge(r.rejection().code().name(), 1L, Long::sum);
                                // Its nonce stays unused: the sender's later calls wait behind the gap.
                                nonces.remove(batch.get(i).senderId());
                            }
                        }
                    }
                    await(previous);
                    futures.addAll(current);
                    previous = current;
                }
                await(previous);
            }
            List<Committed> done = new ArrayList<>(futures.size());
            for (CompletableFuture<Committed> f : futures) {
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    done.add(f.join());
                } else {
                    notCommitted++;
                }
            }
            return done;
        }

        private List<SignedTransaction> sign(List<Item> batch) {
            long[] assigned = new long[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                AccountId sender = batch.get(i).senderId();
                long nonce = nonces.computeIfAbsent(sender, referral.node()::nonce);
                assigned[i] = nonce;
                nonces.put(sender, nonce + 1);
            }
            // Ed25519 signing is the costly part: spread it over the cores, keeping the order.
            return java.util.stream.IntStream.range(0, batch.size()).parallel()
                    .mapToObj(i -> referral.sign(batch.get(i).sender(), assigned[i], batch.get(i).call()))
                    .toList();
        }

        private void await(List<CompletableFuture<Committed>> futures) throws InterruptedException {
            long deadline = System.nanoTime() + COMMIT_TIMEOUT.toNanos();
            for (CompletableFuture<Committed> f : futures) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                    // Counted as not committed by run(); a stuck sender must not hang the demo.
                }
            }
        }

        long notCommitted() {
            return notCommitted;
        }

        Map<String, Long> rejected() {
            return rejected;
        }
    }

    /** What the engine did for the traffic's blocks, from each block's stats. */
    private static final class EngineTally {
        private volatile long from = Long.MAX_VALUE;
        private final AtomicLong blocks = new AtomicLong();
        private final AtomicLong transactions = new AtomicLong();
        private final AtomicLong reexecutions = new AtomicLong();
        private final AtomicLong parallelBlocks = new AtomicLong();
        private final AtomicLong executionNanos = new AtomicLong();
        /** Aborts and suspensions per key (from the blocks' traces): where the conflicts were. */
        private final Map<String, Long> conflicts = new java.util.concurrent.ConcurrentHashMap<>();

        void start(long height) {
            from = height;
        }

        void add(CommittedBlock block) {
            if (block.height() < from || block.timings().isEmpty()) {
                return;
            }
            BlockStats stats = block.timings().get().engine();
            blocks.incrementAndGet();
            transactions.addAndGet(stats.transactions());
            reexecutions.addAndGet(stats.reexecutions());
            executionNanos.addAndGet(block.timings().get().executionNanos());
            if (stats.path().parallel()) {
                parallelBlocks.incrementAndGet();
            }
            for (io.pel.core.TraceEvent e : block.trace()) {
                if (e.key() instanceof io.pel.ledger.Bytes key) {
                    conflicts.merge(describe(key), 1L, Long::sum);
                }
            }
        }

        /** A key as its printable prefix, e.g. {@code app/1/spend/bench} or {@code nonce/…}. */
        private static String describe(io.pel.ledger.Bytes key) {
            byte[] raw = key.toByteArray();
            StringBuilder s = new StringBuilder();
            int i = 0;
            if (raw.length > 7 && raw[0] == 'a' && raw[1] == 'p' && raw[2] == 'p' && raw[3] == '/') {
                s.append("app/").append(((raw[4] & 0xFF) << 8) | (raw[5] & 0xFF));
                i = 6;
            }
            for (; i < raw.length && raw[i] >= 0x20 && raw[i] < 0x7F; i++) {
                s.append((char) raw[i]);
            }
            return i < raw.length ? s + "…" : s.toString();
        }

        Map<String, Long> hottest(int n) {
            Map<String, Long> top = new LinkedHashMap<>();
            conflicts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                    .forEach(e -> top.put(e.getKey(), e.getValue()));
            return top;
        }
    }

    // ---- the report ----

    record Ranked(int rank, String account, String code, long points, List<String> badges) {
    }

    record Funnel(long clicks, long signUps, long conversions) {
    }

    record Proof(String account, long height, String stateRoot, long points, int rewards, boolean verified) {
    }

    record Report(long committedTxs, long blocks, double tps, double seconds, double speedup, double reexecPerTx,
                  long parallelBlocks, double replaySequentialMs, double replayBlockStmMs, boolean replayOk,
                  String replayProblem, Map<String, Long> rejected, long notCommitted, long height, String stateRoot,
                  List<Ranked> leaderboard, Map<String, Funnel> funnel, Map<String, Long> fraudFlagged,
                  long reviewQueue, double viralCoefficient, Proof proof, boolean proofVerified,
                  double replayReexecPerTx, Map<String, Long> hotKeys) {
    }

    private Report report(PelStack stack, EngineTally tally, Traffic traffic, List<Committed> committed,
                          double seconds, AuditReport replay) {
        ReferralViews views = stack.views();
        ReferralService referral = stack.referral();
        List<Ranked> top = new ArrayList<>();
        for (ReferralViews.Ranked r : views.leaderboard(CAMPAIGN, 10)) {
            top.add(new Ranked(r.rank(), r.account().toHex(),
                    referral.participant(CAMPAIGN, r.account()).map(p -> p.code()).orElse(""), r.score(),
                    views.badges(CAMPAIGN, r.account())));
        }
        Map<String, Funnel> funnel = new LinkedHashMap<>();
        ReferralViews.Funnel f = views.funnel(CAMPAIGN);
        new java.util.TreeMap<>(f.byChannel()).forEach((channel, c) ->
                funnel.put(channel, new Funnel(c.clicks(), c.signUps(), c.conversions())));
        funnel.put("total", new Funnel(f.total().clicks(), f.total().signUps(), f.total().conversions()));
        Map<String, Long> fraud = new LinkedHashMap<>();
        for (Map.Entry<Flag, Long> e : views.fraudCaught(CAMPAIGN).entrySet()) {
            fraud.put(e.getKey().name(), e.getValue());
        }

        // A participant with rewards, drawn with the demo's seed: their balance and every reward record, each
        // proven against the state root with nothing else.
        List<ReferralViews.Ranked> earners = views.leaderboard(CAMPAIGN, 200);
        Proof proof = null;
        if (!earners.isEmpty()) {
            AccountId who = earners.get(new Random(seed).nextInt(earners.size())).account();
            ReferralService.ProvenBalance balance = referral.provenBalance(CAMPAIGN, who);
            List<ReferralService.ProvenReward> rewards = referral.provenRewards(who);
            boolean verified = balance.verify() && rewards.stream().allMatch(ReferralService.ProvenReward::verify);
            proof = new Proof(who.toHex(), balance.pointsProof().height(), balance.pointsProof().stateRoot().toHex(),
                    balance.points(), rewards.size(), verified);
        }
        long blocks = tally.blocks.get();
        long txs = tally.transactions.get();
        return new Report(committed.size(), blocks, committed.size() / seconds, seconds, replay.speedup(),
                txs == 0 ? 0 : (double) tally.reexecutions.get() / txs, tally.parallelBlocks.get(),
                replay.sequentialNanos() / 1e6, replay.blockStmNanos() / 1e6, replay.ok(),
                replay.problem().map(p -> p.code() + " at " + p.height() + ": " + p.message()).orElse(null),
                traffic.rejected(), traffic.notCommitted(), stack.node().height(), stack.node().stateRoot().toHex(),
                top, funnel, fraud, views.reviewQueue(CAMPAIGN).size(), views.viralCoefficient(CAMPAIGN), proof,
                proof != null && proof.verified(),
                replay.transactions() == 0 ? 0 : (double) replay.reexecutions() / replay.transactions(),
                tally.hottest(5));
    }

    private void print(Report r) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("committed_txs", r.committedTxs());
            o.put("blocks", r.blocks());
            o.put("tps", round(r.tps()));
            o.put("seconds", round(r.seconds()));
            o.put("speedup", round(r.speedup()));
            o.put("reexec_per_tx", round(r.reexecPerTx()));
            o.put("parallel_blocks", r.parallelBlocks());
            o.put("replay", Map.of("ok", r.replayOk(), "sequential_ms", round(r.replaySequentialMs()),
                    "blockstm_ms", round(r.replayBlockStmMs()), "reexec_per_tx", round(r.replayReexecPerTx())));
            o.put("hot_keys", r.hotKeys());
            o.put("rejected", r.rejected());
            o.put("not_committed", r.notCommitted());
            o.put("height", r.height());
            o.put("state_root", r.stateRoot());
            o.put("leaderboard", r.leaderboard());
            o.put("funnel", r.funnel());
            o.put("fraud_flagged", r.fraudFlagged());
            o.put("review_queue", r.reviewQueue());
            o.put("viral_coefficient", round(r.viralCoefficient()));
            o.put("proof", r.proof());
            o.put("proof_verified", r.proofVerified());
            out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(o));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "%npel demo — referral campaign '%s'%n", CAMPAIGN);
        out.printf(Locale.ROOT, "  committed   %,d referral events in %,d blocks, %.1f s: %,.0f tx/s end to end "
                + "(signed, admitted, executed, committed to RocksDB)%n", r.committedTxs(), r.blocks(), r.seconds(),
                r.tps());
        if (!r.rejected().isEmpty() || r.notCommitted() > 0) {
            out.printf(Locale.ROOT, "  NOT committed: %d; rejected at admission: %s%n", r.notCommitted(),
                    r.rejected());
        }
        out.printf(Locale.ROOT, "  engine      %d of %d blocks ran in parallel, %.3f re-executions per transaction "
                + "(conflicts by key: %s)%n", r.parallelBlocks(), r.blocks(), r.reexecPerTx(), r.hotKeys());
        out.printf(Locale.ROOT, "  speed-up    %.2fx: the chain replayed sequentially (%.0f ms) and with Block-STM "
                + "(%.0f ms, %.3f re-executions per transaction) — %s%n", r.speedup(), r.replaySequentialMs(),
                r.replayBlockStmMs(), r.replayReexecPerTx(),
                r.replayOk() ? "identical outcomes, every state root and receipt matches"
                        : "MISMATCH: " + r.replayProblem());
        out.printf(Locale.ROOT, "  chain       height %d, state root %s%n", r.height(), r.stateRoot());
        out.println();
        out.println("  leaderboard (points)");
        for (Ranked e : r.leaderboard()) {
            out.printf(Locale.ROOT, "    %2d. %s…  code %-12s %,8d  %s%n", e.rank(), e.account().substring(0, 12),
                    e.code(), e.points(), e.badges().isEmpty() ? "" : String.join(", ", e.badges()));
        }
        out.println();
        out.println("  funnel        clicks   sign-ups  conversions");
        r.funnel().forEach((channel, c) -> out.printf(Locale.ROOT, "    %-9s %,8d   %,8d   %,10d%n", channel,
                c.clicks(), c.signUps(), c.conversions()));
        out.printf(Locale.ROOT, "  viral coefficient %.3f%n", r.viralCoefficient());
        out.println();
        long caught = r.fraudFlagged().values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "  fraud caught  %,d sign-ups %s; %,d rewards waiting in the review queue%n", caught,
                r.fraudFlagged(), r.reviewQueue());
        if (r.proof() != null) {
            Proof p = r.proof();
            out.printf(Locale.ROOT, "  proof       participant %s…: %,d points and %d reward records proven against "
                    + "state root %s… at height %d: %s%n", p.account().substring(0, 12), p.points(), p.rewards(),
                    p.stateRoot().substring(0, 16), p.height(), p.verified() ? "VERIFIED" : "FAILED");
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
