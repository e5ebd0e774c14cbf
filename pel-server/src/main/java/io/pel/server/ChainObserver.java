package io.pel.server;

import io.pel.core.BlockStats;
import io.pel.core.TraceEvent;
import io.pel.ledger.node.BlockListener;
import io.pel.ledger.node.BlockTimings;
import io.pel.ledger.node.CommittedBlock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the blocks a node commits — give it to {@code Node.open} as the {@link BlockListener} (with
 * {@code NodeConfig.withTrace(true)} for timelines and speed-up) — and keeps what the server shows about them:
 * a {@link BlockSummary} for each of the last {@value #RECENT} blocks and the execution trace of the last
 * {@code tracedBlocks}. Subscribers (the event stream, metrics, modules) hear of each block; a subscriber that
 * throws is logged and ignored, and the node is never held up beyond the summary's computation.
 * Thread-safe.
 */
public final class ChainObserver implements BlockListener {

    private static final Logger log = LoggerFactory.getLogger(ChainObserver.class);

    /** How many block summaries are kept. */
    public static final int RECENT = 256;
    /** Traces kept by default. */
    public static final int DEFAULT_TRACED_BLOCKS = 64;
    /** The window {@link BlockSummary#tps()} is measured over. */
    public static final long TPS_WINDOW_MILLIS = 10_000;

    /** Told about each committed block, on the block-producing thread: must be quick. */
    @FunctionalInterface
    public interface Subscriber {
        void committed(CommittedBlock block, BlockSummary summary);
    }

    private final int tracedBlocks;
    private final ArrayDeque<BlockSummary> recent = new ArrayDeque<>(RECENT);
    private final LinkedHashMap<Long, List<TraceEvent>> traces = new LinkedHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public ChainObserver() {
        this(DEFAULT_TRACED_BLOCKS);
    }

    /** @param tracedBlocks how many recent blocks' traces to keep (0…4096) */
    public ChainObserver(int tracedBlocks) {
        if (tracedBlocks < 0 || tracedBlocks > 4096) {
            throw new IllegalArgumentException("tracedBlocks is out of range: " + tracedBlocks);
        }
        this.tracedBlocks = tracedBlocks;
    }

    @Override
    public void committed(CommittedBlock block) {
        BlockSummary summary;
        synchronized (this) {
            summary = summarize(block);
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(summary);
            if (!block.trace().isEmpty() && tracedBlocks > 0) {
                traces.put(block.height(), block.trace());
                while (traces.size() > tracedBlocks) {
                    traces.remove(traces.keySet().iterator().next());
                }
            }
        }
        for (Subscriber s : subscribers) {
            try {
                s.committed(block, summary);
            } catch (RuntimeException e) {
                log.warn("a block subscriber failed on block {}", block.height(), e);
            }
        }
    }

    /** Adds a subscriber; the returned handle removes it. */
    public Runnable subscribe(Subscriber subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
        return () -> subscribers.remove(subscriber);
    }

    /** The summaries of the last {@value #RECENT} blocks observed, oldest first. */
    public synchronized List<BlockSummary> recent() {
        return List.copyOf(recent);
    }

    /** The summary of a recently observed block. */
    public synchronized Optional<BlockSummary> summary(long height) {
        return recent.stream().filter(s -> s.height() == height).findFirst();
    }

    /** The execution trace of a recent block, when it was traced and is still kept. */
    public synchronized Optional<List<TraceEvent>> trace(long height) {
        return Optional.ofNullable(traces.get(height));
    }

    private BlockSummary summarize(CommittedBlock block) {
        int txs = block.block().transactions().size();
        long ts = block.block().header().timestampMillis();
        Optional<BlockTimings> timings = block.timings();
        BlockStats stats = timings.map(BlockTimings::engine).orElse(null);
        long wall = stats == null ? 0 : stats.wallNanos();
        Double speedup = null;
        Double busy = null;
        if (!block.trace().isEmpty() && wall > 0) {
            long useful = usefulNanos(block.trace());
            long all = block.trace().stream().mapToLong(e -> e.endNanos() - e.startNanos()).sum();
            speedup = (double) useful / wall;
            busy = (double) all / wall;
        }
        long reexec = stats == null ? 0 : stats.reexecutions();
        return new BlockSummary(block.height(), txs, ts, tps(ts, txs), speedup, busy, reexec,
                txs == 0 ? 0 : (double) reexec / txs, timings.map(BlockTimings::executionNanos).orElse(0L),
                timings.map(BlockTimings::totalNanos).orElse(0L), stats == null ? "UNKNOWN" : stats.path().name());
    }

    /** Sum, over transactions, of the run time of the last incarnation that executed to the end. */
    static long usefulNanos(List<TraceEvent> trace) {
        Map<Integer, TraceEvent> last = new HashMap<>();
        for (TraceEvent e : trace) {
            if (e.kind() == TraceEvent.Kind.EXECUTE && e.result() == TraceEvent.Result.EXECUTED) {
                last.merge(e.transaction(), e, (a, b) -> b.incarnation() >= a.incarnation() ? b : a);
            }
        }
        return last.values().stream().mapToLong(e -> e.endNanos() - e.startNanos()).sum();
    }

    /** See {@link BlockSummary#tps()}; called with the lock held, before {@code recent} holds this block. */
    private double tps(long timestampMillis, int txs) {
        List<BlockSummary> window = new ArrayList<>();
        for (BlockSummary s : recent) {
            if (s.timestampMillis() > timestampMillis - TPS_WINDOW_MILLIS) {
                window.add(s);
            }
        }
        if (window.isEmpty()) {
            return txs * 1000.0 / TPS_WINDOW_MILLIS;
        }
        long span = timestampMillis - window.getFirst().timestampMillis();
        long counted = txs + window.stream().skip(1).mapToLong(BlockSummary::transactions).sum();
        return span <= 0 ? (counted + window.getFirst().transactions()) * 1000.0 / TPS_WINDOW_MILLIS
                : counted * 1000.0 / span;
    }
}
