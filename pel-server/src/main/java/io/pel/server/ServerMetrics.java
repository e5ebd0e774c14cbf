package io.pel.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pel.ledger.node.BlockTimings;
import io.pel.ledger.node.CommittedBlock;
import io.pel.ledger.node.Node;
import java.time.Duration;

/**
 * The server's Prometheus metrics (Micrometer): blocks, transactions, block phase timers, re-executions,
 * mempool size and height, admission rejections by code, HTTP requests by route and status. Served as text at
 * {@code /metrics}. Thread-safe.
 */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter blocks;
    private final Counter transactions;
    private final Counter reexecutions;
    private final Timer execution;
    private final Timer merkle;
    private final Timer write;
    private final Timer total;

    ServerMetrics(Node node) {
        blocks = Counter.builder("pel.blocks").description("blocks committed while the server ran")
                .register(registry);
        transactions = Counter.builder("pel.transactions").description("transactions committed")
                .register(registry);
        reexecutions = Counter.builder("pel.reexecutions")
                .description("executions beyond the first of each transaction").register(registry);
        execution = Timer.builder("pel.block.execution").description("engine run per block").register(registry);
        merkle = Timer.builder("pel.block.merkle").description("state tree update per block").register(registry);
        write = Timer.builder("pel.block.write").description("RocksDB commit per block").register(registry);
        total = Timer.builder("pel.block.total").description("whole block production").register(registry);
        Gauge.builder("pel.mempool.size", node, Node::pending).description("transactions admitted, not committed")
                .register(registry);
        Gauge.builder("pel.chain.height", node, Node::height).description("last committed height")
                .register(registry);
    }

    void block(CommittedBlock block) {
        blocks.increment();
        transactions.increment(block.block().transactions().size());
        block.timings().ifPresent(this::timings);
    }

    private void timings(BlockTimings t) {
        reexecutions.increment(t.engine().reexecutions());
        execution.record(Duration.ofNanos(t.executionNanos()));
        merkle.record(Duration.ofNanos(t.merkleNanos()));
        write.record(Duration.ofNanos(t.writeNanos()));
        total.record(Duration.ofNanos(t.totalNanos()));
    }

    void rejection(String code) {
        registry.counter("pel.rejections", "code", code).increment();
    }

    void request(String method, String route, int status, long nanos) {
        registry.timer("pel.http.requests", "method", method, "route", route, "status", Integer.toString(status))
                .record(Duration.ofNanos(nanos));
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    void close() {
        registry.close();
    }
}
