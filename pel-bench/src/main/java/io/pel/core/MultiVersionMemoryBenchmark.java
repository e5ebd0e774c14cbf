package io.pel.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-access costs of multi-version memory: a read resolved through a key's chain, recording a
 * two-key write set, and validating a two-read read set. These are the engine's per-transaction overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MultiVersionMemoryBenchmark {

    /** Transactions in the simulated block, and so the number of versions spread over the keys. */
    @Param({"10000"})
    int transactions;

    /** Distinct keys: few keys mean long chains (contention), many mean short chains. */
    @Param({"2", "10000"})
    int keys;

    private MultiVersionMemory<Integer, Long> memory;
    private Integer[] keyObjects;
    private final Resolution resolution = new Resolution();
    private WriteBuffer<Integer, Long> twoWrites;
    private int cursor;

    @Setup(Level.Iteration)
    public void setUp() {
        memory = new MultiVersionMemory<>(transactions, key -> 1_000L, CounterCodec.longs());
        keyObjects = new Integer[keys];
        for (int k = 0; k < keys; k++) {
            keyObjects[k] = k;
        }
        for (int tx = 0; tx < transactions; tx++) {
            WriteBuffer<Integer, Long> w = new WriteBuffer<>();
            w.put(keyObjects[tx % keys], WriteBuffer.VALUE, (long) tx, 0);
            w.put(keyObjects[(tx * 7 + 1) % keys], WriteBuffer.VALUE, (long) tx, 0);
            ReadSet reads = new ReadSet();
            TxView<Integer, Long> view = new TxView<>(memory);
            view.start(tx, reads);
            view.read(keyObjects[(tx * 3) % keys]);
            view.read(keyObjects[(tx * 5) % keys]);
            memory.record(tx, 0, w, true, reads);
        }
        twoWrites = new WriteBuffer<>();
        twoWrites.put(keyObjects[0], WriteBuffer.VALUE, 5L, 0);
        twoWrites.put(keyObjects[keys - 1], WriteBuffer.VALUE, 6L, 0);
    }

    private int nextTx() {
        int tx = cursor++;
        if (cursor == transactions) {
            cursor = 0;
        }
        return tx;
    }

    @Benchmark
    public int resolveRead() {
        int tx = nextTx();
        return memory.chain(keyObjects[(tx * 3) % keys]).resolve(tx, resolution);
    }

    @Benchmark
    public boolean validateTwoReads() {
        return memory.validate(nextTx(), resolution);
    }

    @Benchmark
    public boolean recordTwoWrites() {
        // Re-records an existing transaction's write set: the steady state of re-execution.
        return memory.record(nextTx(), 1, twoWrites, true, new ReadSet());
    }
}
