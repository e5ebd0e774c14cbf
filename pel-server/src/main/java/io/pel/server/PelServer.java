package io.pel.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.pel.ledger.node.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/JSON API, metrics and live dashboard around a running {@link Node}: binds
 * {@link ServerConfig#host()}:{@link ServerConfig#port()} (0: any free port, {@link #port()} says which) and
 * serves
 * <ul>
 *   <li>the ledger's endpoints ({@link LedgerApi}) and those of every {@link ApiModule} given;</li>
 *   <li>{@code /health}, {@code /metrics} (Prometheus), {@code /openapi.json} (every route registered),
 *       {@code /api/v1/stream} (server-sent {@code block} events), {@code /api/v1/dashboard/modules};</li>
 *   <li>the dashboard at {@code /}, Chart.js from its webjar.</li>
 * </ul>
 * Every error is JSON {@code {"code","message"}}: 400 {@code BAD_REQUEST} for malformed requests, 413
 * {@code TOO_LARGE} for bodies past {@link ServerConfig#maxBodyBytes()}, 404 {@code NOT_FOUND}, 429
 * {@code RATE_LIMITED} past a client's token bucket ({@code /health} is exempt), 500 {@code INTERNAL} for bugs
 * (logged; no stack trace to the client), and the ledger's rejection codes.
 *
 * <p>The node must have been opened with {@code observer} as (or among) its block listeners; the server does
 * not own the node: {@link #close()} stops HTTP only, the caller closes the node after it.
 */
public final class PelServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PelServer.class);

    private final Javalin app;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final EventStream events = new EventStream();
    private final ExecutorService waiters = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("pel-server-wait-", 0).factory());
    private final List<RouteDoc> routes = Collections.synchronizedList(new ArrayList<>());
    private final Runnable unsubscribe;
    private final RateLimiter limiter;

    private PelServer(Node node, ChainObserver observer, ServerConfig config, List<ApiModule> modules) {
        this.config = config;
        this.metrics = new ServerMetrics(node);
        this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst());
        List<ApiModule> all = new ArrayList<>();
        all.add(new LedgerApi(node, observer, metrics, config, waiters));
        all.addAll(modules);
        List<ApiModule.DashboardPage> pages = all.stream().flatMap(m -> m.dashboardPages().stream()).toList();
        this.app = Javalin.create(c -> configure(c, node, all, pages));
        this.unsubscribe = observer.subscribe((block, summary) -> {
            metrics.block(block);
            events.publish("block", summary);
        });
    }

    /**
     * Starts serving {@code node}, with the ledger endpoints and those of {@code modules}.
     *
     * @param observer the {@link ChainObserver} the node was opened with (it feeds charts, traces, metrics)
     */
    public static PelServer start(Node node, ChainObserver observer, ServerConfig config, List<ApiModule> modules) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(config, "config");
        PelServer server = new PelServer(node, observer, config, List.copyOf(modules));
        try {
            server.app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("PEL server listening on {}", server.url());
        return server;
    }

    private void configure(JavalinConfig c, Node node, List<ApiModule> modules, List<ApiModule.DashboardPage> pages) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.maxRequestSize = config.maxBodyBytes();
        c.staticFiles.enableWebjars();
        c.staticFiles.add(sf -> {
            sf.hostedPath = "/";
            sf.directory = "/dashboard";
            sf.location = Location.CLASSPATH;
        });
        for (ApiModule m : modules) {
            for (ApiModule.StaticResources r : m.staticResources()) {
                c.staticFiles.add(sf -> {
                    sf.hostedPath = r.hostedPath();
                    sf.directory = r.classpathFolder();
                    sf.location = Location.CLASSPATH;
                });
            }
        }

        var r = c.routes;
        r.before(this::admit);
        r.after(this::countRequest);
        r.exception(ApiError.ApiException.class, (e, ctx) -> ApiRoutes.respond(ctx, e.error()));
        r.exception(HttpResponseException.class, (e, ctx) -> ApiRoutes.respond(ctx, fromJavalin(e)));
        r.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure answering {} {}", ctx.method(), ctx.path(), e);
            ApiRoutes.respond(ctx, new ApiError(500, "INTERNAL", "an internal error occurred; it was logged"));
        });
        r.error(404, ctx -> {
            String result = ctx.result();
            if (result == null || result.isEmpty()) {
                ApiRoutes.respond(ctx, ApiError.notFound("no route " + ctx.method() + " " + ctx.path()));
            }
        });

        ApiRoutes api = new ApiRoutes(r, config.adminToken(), routes).tag("server");
        api.get("/health", "Liveness: {status: UP, height}", List.of(), ctx -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "UP");
            m.put("height", node.height());
            ApiRoutes.respond(ctx, 200, m);
        });
        api.getAs("/metrics", "Prometheus metrics (text exposition format)", "text/plain", ctx -> ctx
                .contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        api.get("/openapi.json", "This document: OpenAPI 3 description of every route", List.of(), ctx ->
                ApiRoutes.respond(ctx, 200, OpenApiDocument.build(List.copyOf(routes), version())));
        api.sse("/api/v1/stream", "Server-sent events: a 'block' event per committed block (height, "
                + "transactions, tps, speedup, reexecPerTx, …)", events::connect);
        api.get("/api/v1/dashboard/modules", "Dashboard tabs added by API modules: {pages: [{id, title, script}]}",
                List.of(), ctx -> ApiRoutes.respond(ctx, 200, Map.of("pages", pages)));
        for (ApiModule m : modules) {
            m.register(api.tag(m.name()));
        }
    }

    /** Rate limit and body size, before any handler reads the request. */
    private void admit(Context ctx) {
        ctx.attribute("pel.start", System.nanoTime());
        if (!ctx.path().equals("/health") && !limiter.tryAcquire(ctx.ip())) {
            throw new ApiError(429, "RATE_LIMITED", "too many requests from " + ctx.ip() + "; slow down", 1)
                    .exception();
        }
        long length = ctx.req().getContentLengthLong();
        if (length > config.maxBodyBytes()) {
            refuseBody(ctx, length);
        }
    }

    /**
     * Bodies past the limit up to this size are read and dropped before the 413 goes out; larger ones are not
     * worth the bandwidth, and their clients may see the connection close instead of the answer.
     */
    private static final long DRAIN_LIMIT = 16L << 20;

    /**
     * Answers a body past the limit with 413 {@code TOO_LARGE}, decided from its declared length, and closes
     * the connection after the answer. A client that sends the body whole without asking first (no
     * {@code Expect: 100-continue}) is still writing it: closing on it while it writes resets the connection,
     * and the client loses the answer. So such a body, up to {@link #DRAIN_LIMIT}, is read and dropped first.
     * A client that asked first is simply told no, and never sends it.
     */
    private void refuseBody(Context ctx, long length) {
        ctx.header("Connection", "close");
        boolean askedFirst = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (!askedFirst && length <= DRAIN_LIMIT) {
            try {
                ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // The client went away: nobody is left to answer.
            }
        }
        throw ApiError.tooLarge("the request body has " + length + " bytes; the limit is "
                + config.maxBodyBytes()).exception();
    }

    private void countRequest(Context ctx) {
        Long start = ctx.attribute("pel.start");
        String route;
        try {
            route = ctx.endpoint().path;
        } catch (RuntimeException e) {
            route = "unmatched";
        }
        if (route == null || route.isEmpty() || route.equals("*")) {
            route = "unmatched";
        }
        metrics.request(ctx.method().name(), route, ctx.statusCode(),
                start == null ? 0 : System.nanoTime() - start);
    }

    private static ApiError fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> ApiError.tooLarge("the request body is over the size limit");
            case 404 -> ApiError.notFound(e.getMessage() == null ? "not found" : e.getMessage());
            case 400 -> ApiError.badRequest(e.getMessage() == null ? "bad request" : e.getMessage());
            default -> new ApiError(e.getStatus(), e.getStatus() >= 500 ? "INTERNAL" : "BAD_REQUEST",
                    e.getMessage() == null ? "request failed" : e.getMessage());
        };
    }

    private static String version() {
        String v = PelServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The port the server listens on (the ephemeral one when configured with 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + config.host() + ":" + port();
    }

    /** Every route registered, as {@code /openapi.json} documents them. */
    public List<RouteDoc> routes() {
        return List.copyOf(routes);
    }

    /** The routes Javalin itself holds (method and path): what the OpenAPI test checks against. */
    List<String> javalinRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(p -> p.endpoint.method.name() + " " + p.endpoint.path)
                .filter(s -> !s.startsWith("BEFORE") && !s.startsWith("AFTER"))
                .toList();
    }

    /** Stops HTTP (and the event stream); leaves the node running. Idempotent. */
    @Override
    public void close() {
        unsubscribe.run();
        // Event streams first: Javalin cannot complete an open stream once Jetty has stopped.
        events.close();
        try {
            app.stop();
        } finally {
            waiters.shutdownNow();
            metrics.close();
        }
    }
}
