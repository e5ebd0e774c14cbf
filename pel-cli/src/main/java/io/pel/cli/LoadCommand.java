package io.pel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.NodeConfig;
import io.pel.referral.ReferralBlocks.Item;
import io.pel.referral.ReferralEvent;
import io.pel.referral.ReferralService;
import io.pel.referral.ReferralWorkload;
import io.pel.server.OperatorKeys;
import io.pel.server.PelServer;
import io.pel.server.PelStack;
import io.pel.server.ServerConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel load}: an HTTP load test on this machine. Starts a node with the referral program and its server on
 * an ephemeral 127.0.0.1 port (in a temporary directory), sets up a campaign with participants, then drives
 * concurrent clients against {@code GET /r/{code}} (link resolution: a click transaction each) and
 * {@code POST /api/v1/transactions/batch} (pre-signed transactions), reports requests/s and latency percentiles,
 * and finally checks that nothing was lost: every redirected click and every accepted transaction committed.
 * Client and server share the machine's cores.
 */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Load-tests the HTTP API on 127.0.0.1: referral links (GET /r/{code}) and batch submission, with "
                    + "concurrent clients; prints requests/s and latency percentiles, then checks that every "
                    + "redirected click and every accepted transaction was committed."
        },
        sortOptions = false)
final class LoadCommand implements Callable<Integer> {

    private static final String CAMPAIGN = ReferralWorkload.CAMPAIGN;

    @Spec
    private CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "10", description = "Duration of each test (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--batch", defaultValue = "100",
            description = "Transactions per batch request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--participants", defaultValue = "500",
            description = "Campaign participants, whose codes the link test resolves (default: ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--batch-txs", defaultValue = "65536",
            description = "Transactions signed before the batch test, its supply (default: ${DEFAULT-VALUE}).")
    int batchTxs;

    @Option(names = "--test", defaultValue = "links,batch", split = ",",
            description = "Which tests: links, batch (default: ${DEFAULT-VALUE}).")
    List<String> tests;

    /** One test's figures. */
    record Figures(String test, long requests, long ok, Map<String, Long> errors, double seconds, double rps,
                   double p50Ms, double p99Ms, double maxMs, long items, long committed, long lost) {
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || clients < 1 || clients > 4096 || batch < 1 || batch > 1000 || participants < 2
                || batchTxs < batch || batchTxs > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--seconds ≥ 1, --clients 1..4096, --batch 1..1000, "
                    + "--participants ≥ 2, --batch-txs from --batch to 10000000");
        }
        Path data = Files.createTempDirectory("pel-load");
        KeyPair admin = ReferralWorkload.key("pel-load-admin");
        ReferralWorkload workload = new ReferralWorkload(new ReferralWorkload.Config(7, participants, 64, 1.1, 0),
                admin);
        NodeConfig config = NodeConfig.defaults(ChainId.of("pel-load")).withAdmin(Keys.accountId(admin))
                .withBlockMaxTxs(2000).withBlockInterval(Duration.ofMillis(50)).withMempoolSize(100_000)
                .withNonceWindow(4096);
        List<Figures> results = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        try (PelStack stack = PelStack.open(data, config)) {
            List<String> codes = setUp(stack, workload);
            PelServer server = stack.serve(ServerConfig.defaults().withPort(0).withRateLimit(1_000_000, 1_000_000)
                    .withMaxBatch(1000), OperatorKeys.of(admin, workload.reporters()), List.of());
            System.err.println("pel load: server at " + server.url() + ", " + codes.size() + " referral codes, "
                    + clients + " clients, " + seconds + " s per test");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            for (String test : tests) {
                switch (test.trim()) {
                    case "links" -> results.add(links(stack, server, http, codes));
                    case "batch" -> results.add(batches(stack, server, http, workload));
                    default -> throw new ParameterException(spec.commandLine(), "unknown test: " + test);
                }
            }
        } finally {
            DataDirs.deleteTree(data);
        }
        out.println("test     requests       ok     req/s   p50 ms   p99 ms   max ms   committed/items  lost  errors");
        boolean ok = true;
        for (Figures f : results) {
            out.printf(Locale.ROOT, "%-7s %9d %8d %9.0f %8.2f %8.2f %8.2f %9d/%-9d %4d  %s%n", f.test(), f.requests(),
                    f.ok(), f.rps(), f.p50Ms(), f.p99Ms(), f.maxMs(), f.committed(), f.items(), f.lost(), f.errors());
            ok &= f.lost() == 0;
        }
        out.flush();
        return ok ? 0 : 1;
    }

    /** The campaign, its reporters and the participants' joins, committed; answers the participants' codes. */
    private List<String> setUp(PelStack stack, ReferralWorkload workload) throws Exception {
        ReferralService referral = stack.referral();
        List<Item> setup = workload.setup();
        List<Admission> admissions = new ArrayList<>();
        for (Item item : setup) {
            if (item.sender() == workload.admin()) {
                admissions.add(referral.submit(item.sender(), item.call()));
            }
        }
        awaitAll(admissions);
        admissions.clear();
        for (Item item : setup) {
            if (item.sender() != workload.admin()) {
                admissions.add(referral.submit(item.sender(), item.call()));
            }
        }
        List<String> codes = new ArrayList<>();
        for (Admission a : admissions) {
            var committed = ((Admission.Accepted) a).committed().get(60, TimeUnit.SECONDS);
            for (ReferralEvent e : ReferralService.events(committed)) {
                if (e instanceof ReferralEvent.Joined j) {
                    codes.add(j.code());
                }
            }
        }
        return codes;
    }

    private static void awaitAll(List<Admission> admissions) throws Exception {
        for (Admission a : admissions) {
            if (!(a instanceof Admission.Accepted accepted)) {
                throw new IllegalStateException("set-up transaction rejected: " + a);
            }
            accepted.committed().get(60, TimeUnit.SECONDS);
        }
    }

    /** {@code GET /r/{code}}: each a 302 and a click transaction; the funnel must count every 302. */
    private Figures links(PelStack stack, PelServer server, HttpClient http, List<String> codes) throws Exception {
        long clicksBefore = stack.views().funnel(CAMPAIGN).total().clicks();
        AtomicInteger turn = new AtomicInteger();
        Run run = drive("links", () -> {
            String code = codes.get(Math.floorMod(turn.getAndIncrement(), codes.size()));
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/r/" + code
                    + "?channel=social")).GET().build(), HttpResponse.BodyHandlers.discarding());
            return new Answer(r.statusCode() == 302, r.statusCode(), 1);
        });
        long expected = run.okItems.get();
        long clicks = awaitCount(() -> stack.views().funnel(CAMPAIGN).total().clicks() - clicksBefore, expected,
                stack);
        return run.figures(expected, clicks, expected - clicks);
    }

    /** {@code POST /api/v1/transactions/batch} of pre-signed transactions; every accepted one must commit. */
    private Figures batches(PelStack stack, PelServer server, HttpClient http, ReferralWorkload workload)
            throws Exception {
        // Enough pre-signed transactions for the run, from many senders (each sender's nonces in order).
        int perSender = 16;
        int senders = Math.max(1, Math.min(4096, batchTxs / perSender));
        List<KeyPair> keys = new ArrayList<>(senders);
        for (int i = 0; i < senders; i++) {
            keys.add(ReferralWorkload.key("pel-load-sender-" + i));
        }
        ChainId chain = stack.node().config().chainId();
        int total = Math.min(batchTxs, senders * perSender);
        System.err.println("pel load: signing " + total + " transactions for the batch test…");
        List<String> signed = java.util.stream.IntStream.range(0, total).parallel()
                .mapToObj(i -> {
                    KeyPair from = keys.get(i % senders);
                    long nonce = i / senders;
                    SignedTransaction tx = SignedTransaction.sign(from, chain, nonce,
                            new Payload.Transfer(Keys.accountId(keys.get((i + 1) % senders)), 1));
                    return HexFormat.of().formatHex(tx.encode());
                }).toList();
        AtomicInteger cursor = new AtomicInteger();
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        ObjectMapper json = new ObjectMapper();
        Run run = drive("batch", () -> {
            int from = cursor.getAndAdd(batch);
            if (from + batch > signed.size()) {
                return null; // out of pre-signed transactions: this client stops
            }
            String body = json.writeValueAsString(Map.of("txs", signed.subList(from, from + batch)));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url()
                            + "/api/v1/transactions/batch")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            int okItems = 0;
            if (r.statusCode() == 200) {
                for (JsonNode item : json.readTree(r.body()).get("results")) {
                    if (item.has("hash")) {
                        accepted.add(item.get("hash").asText());
                        okItems++;
                    }
                }
            }
            return new Answer(r.statusCode() == 200, r.statusCode(), okItems);
        });
        List<String> hashes = new ArrayList<>(accepted);
        long committed = awaitCount(() -> hashes.stream().filter(h -> stack.node().committed(Hash.fromHex(h))
                .isPresent()).count(), hashes.size(), stack);
        return run.figures(hashes.size(), committed, hashes.size() - committed);
    }

    /** What one request came to: whether it was OK, its status, and how many items it carried through. */
    private record Answer(boolean ok, int status, int okItems) {
    }

    @FunctionalInterface
    private interface Request {
        Answer send() throws Exception;
    }

    /** One timed test's raw counts and latencies. */
    private final class Run {
        final String test;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong okItems = new AtomicLong();
        final Map<String, Long> errors = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        double elapsed;

        Run(String test) {
            this.test = test;
        }

        Figures figures(long items, long committed, long lost) {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Figures(test, requests.get(), ok.get(), Map.copyOf(errors), elapsed, requests.get() / elapsed,
                    percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                    items, committed, lost);
        }
    }

    private Run drive(String test, Request request) throws Exception {
        Run run = new Run(test);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    long[] mine = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        Answer answer;
                        try {
                            answer = request.send();
                        } catch (Exception e) {
                            run.errors.merge(e.getClass().getSimpleName(), 1L, Long::sum);
                            run.requests.incrementAndGet();
                            continue;
                        }
                        if (answer == null) {
                            break;
                        }
                        long took = System.nanoTime() - t0;
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = took;
                        run.requests.incrementAndGet();
                        if (answer.ok()) {
                            run.ok.incrementAndGet();
                            run.okItems.addAndGet(answer.okItems());
                        } else {
                            run.errors.merge("HTTP " + answer.status(), 1L, Long::sum);
                        }
                    }
                    run.latencies.add(Arrays.copyOf(mine, n));
                    return null;
                });
            }
        }
        run.elapsed = (System.nanoTime() - start) / 1e9;
        return run;
    }

    /** Waits (up to a minute after the node's mempool drains) until {@code count} reaches {@code expected}. */
    private static long awaitCount(java.util.function.LongSupplier count, long expected, PelStack stack)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen = count.getAsLong();
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            seen = count.getAsLong();
        }
        return seen;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
