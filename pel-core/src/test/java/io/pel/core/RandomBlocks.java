package io.pel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Seeded generator of random blocks for the executor properties. A generated transaction is data (a list of
 * {@link Op}s) so that a failing block can be printed, run by an engine as a {@link Transaction}, and
 * interpreted independently by {@link ReferenceModel}. The same seed always gives the same block.
 *
 * <p>Every transaction folds what it reads into an accumulator; writes are computed from it, conditional
 * throws test it, and it is the transaction's output. So outputs, writes and failures all depend on what was
 * read, and a stale read anywhere shows up in the outcomes or the write set.
 */
final class RandomBlocks {

    private RandomBlocks() {
    }

    /** Name of the i-th key; short so printed blocks stay readable. */
    static String key(int i) {
        return "k" + i;
    }

    // ---------------------------------------------------------------------------------------------------
    // The operations a generated transaction is made of.

    /** One step of a generated transaction. */
    sealed interface Op {
    }

    /** {@code acc = fold(acc, read(key))}. */
    record Read(String key) implements Op {
        @Override
        public String toString() {
            return "r " + key;
        }
    }

    /** {@code write(key, acc + constant)}. */
    record Write(String key, long constant) implements Op {
        @Override
        public String toString() {
            return "w " + key + " acc+" + constant;
        }
    }

    /** {@code delete(key)}. */
    record Delete(String key) implements Op {
        @Override
        public String toString() {
            return "del " + key;
        }
    }

    /** {@code add(key, delta)} (wrapping). */
    record Add(String key, long delta) implements Op {
        @Override
        public String toString() {
            return "add " + key + " " + delta;
        }
    }

    /**
     * A write when what the transaction read so far is even, else an add: the kind of its write to {@code key}
     * depends on its reads, so a re-execution may turn a value into a delta or back.
     */
    record WriteOrAdd(String key, long constant, long delta) implements Op {
        @Override
        public String toString() {
            return "writeOrAdd " + key + " " + constant + " " + delta;
        }
    }

    /** {@code acc = fold(acc, tryAdd(key, delta, min, max) ? 1 : 2)}. */
    record TryAdd(String key, long delta, long min, long max) implements Op {
        @Override
        public String toString() {
            return "tryAdd " + key + " " + delta + " [" + min + "," + max + "]";
        }
    }

    /** {@code acc = fold(acc, fits(key, delta, min, max) ? 3 : 4)}: a tryAdd's question, without the add. */
    record Fits(String key, long delta, long min, long max) implements Op {
        @Override
        public String toString() {
            return "fits " + key + " " + delta + " [" + min + "," + max + "]";
        }
    }

    /** {@code acc = fold(acc, readCounter(key))}. */
    record ReadCounter(String key) implements Op {
        @Override
        public String toString() {
            return "rc " + key;
        }
    }

    /** Throws {@link IllegalStateException} when {@code floorMod(acc, modulus) == remainder}. */
    record ThrowIf(long modulus, long remainder) implements Op {
        @Override
        public String toString() {
            return "throwIf acc%" + modulus + "==" + remainder;
        }
    }

    /** Wastes a little time to shake interleavings; has no effect on the result. */
    record Delay(DelayKind kind, long nanos) implements Op {
        @Override
        public String toString() {
            return "delay " + kind + " " + nanos + "ns";
        }
    }

    enum DelayKind { SPIN, YIELD, PARK }

    // ---------------------------------------------------------------------------------------------------
    // How a transaction mixes values into its accumulator; shared with ReferenceModel because it is part of
    // the transaction's definition, not of the engine.

    /** Stands for "null" in the accumulator, so that an absent key and a key holding 0 read differently. */
    static final long NULL_MARK = 0x5DEECE66DL;

    static long fold(long acc, Long value) {
        return acc * 1_000_003L + (value == null ? NULL_MARK : value + 1);
    }

    static long fold(long acc, long value) {
        return acc * 1_000_003L + value + 1;
    }

    /** The accumulator a transaction starts with: its index, so equal op lists still differ by position. */
    static long initialAccumulator(int index) {
        return index;
    }

    static String failureMessage(int tx, int op) {
        return "tx " + tx + " failed at op " + op;
    }

    // ---------------------------------------------------------------------------------------------------
    // A generated transaction, as the engine runs it.

    /** Runs its ops against a {@link TxContext}; its output is the accumulator. */
    record GeneratedTx(int index, List<Op> ops) implements Transaction<String, Long, Long> {

        GeneratedTx {
            ops = List.copyOf(ops);
        }

        @Override
        public Long execute(TxContext<String, Long> ctx) {
            long acc = initialAccumulator(index);
            for (int j = 0; j < ops.size(); j++) {
                switch (ops.get(j)) {
                    case Read r -> acc = fold(acc, ctx.read(r.key()));
                    case Write w -> ctx.write(w.key(), acc + w.constant());
                    case Delete d -> ctx.delete(d.key());
                    case Add a -> ctx.add(a.key(), a.delta());
                    case WriteOrAdd wa -> {
                        if ((acc & 1) == 0) {
                            ctx.write(wa.key(), acc + wa.constant());
                        } else {
                            ctx.add(wa.key(), wa.delta());
                        }
                    }
                    case TryAdd t -> acc = fold(acc, ctx.tryAdd(t.key(), t.delta(), t.min(), t.max()) ? 1 : 2);
                    case Fits f -> acc = fold(acc, ctx.fits(f.key(), f.delta(), f.min(), f.max()) ? 3 : 4);
                    case ReadCounter c -> acc = fold(acc, ctx.readCounter(c.key()));
                    case ThrowIf t -> {
                        if (Math.floorMod(acc, t.modulus()) == t.remainder()) {
                            throw new IllegalStateException(failureMessage(index, j));
                        }
                    }
                    case Delay d -> delay(d);
                }
            }
            return acc;
        }

        @Override
        public String toString() {
            return "T" + index + " " + ops;
        }
    }

    /**
     * Sleeps by parking rather than {@code Thread.sleep}: an interrupt would make {@code sleep} throw, and the
     * transaction's outcome would then depend on timing.
     */
    private static void delay(Delay d) {
        switch (d.kind()) {
            case SPIN -> {
                long until = System.nanoTime() + d.nanos();
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
            case YIELD -> Thread.yield();
            case PARK -> LockSupport.parkNanos(d.nanos());
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // A block.

    /**
     * A block: the base state and the transactions, with the seed that made them ({@code generated}) or a
     * name in {@code shape} for hand-written ones.
     */
    record Block(boolean generated, long seed, String shape, Map<String, Long> base,
                 List<GeneratedTx> transactions) {

        Block {
            base = Collections.unmodifiableMap(new LinkedHashMap<>(base));
            transactions = List.copyOf(transactions);
        }

        BaseState<String, Long> baseState() {
            return BaseState.of(base);
        }

        int size() {
            return transactions.size();
        }

        /** The block, one transaction a line, ready to paste into a bug report. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(generated ? "block seed=" + seed : "hand-written block").append(" shape=").append(shape)
                    .append(" txs=").append(transactions.size()).append('\n');
            sb.append("  base ").append(base).append('\n');
            for (GeneratedTx tx : transactions) {
                sb.append("  ").append(tx).append('\n');
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** Builds a block from explicit parts, for hand-written cases. */
    static Block block(String shape, Map<String, Long> base, List<List<Op>> txOps) {
        List<GeneratedTx> txs = new ArrayList<>(txOps.size());
        for (int i = 0; i < txOps.size(); i++) {
            txs.add(new GeneratedTx(i, txOps.get(i)));
        }
        return new Block(false, 0, shape, base, txs);
    }

    // ---------------------------------------------------------------------------------------------------
    // Generation.

    /** What kind of work a block does; chosen from the seed. */
    enum Profile { MIXED, READ_HEAVY, WRITE_HEAVY, COUNTERS, FAILURES }

    /**
     * A block of 1..200 transactions over a small key space (sometimes a larger one), with random delays in
     * some blocks when {@code delaysAllowed}.
     */
    static Block generate(long seed, boolean delaysAllowed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int txCount = switch (rnd.nextInt(10)) {
            case 0, 1 -> 1 + rnd.nextInt(10);
            case 2 -> 150 + rnd.nextInt(51);
            default -> 1 + rnd.nextInt(200);
        };
        int keyCount = switch (rnd.nextInt(20)) {
            case 0 -> 1;
            case 1, 2 -> 50;
            default -> 2 + rnd.nextInt(11);
        };
        Profile profile = Profile.values()[rnd.nextInt(Profile.values().length)];
        boolean delays = delaysAllowed && rnd.nextInt(6) == 0;
        int maxOps = 1 + rnd.nextInt(10);
        return generate(seed, rnd, txCount, keyCount, profile, maxOps, delays);
    }

    /**
     * A large block at high contention for the stress test: {@code txCount} transactions of reads, writes and
     * adds over about 20 keys, no delays.
     */
    static Block stress(long seed, int txCount) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int keyCount = 16 + rnd.nextInt(9);
        Profile profile = rnd.nextInt(3) == 0 ? Profile.COUNTERS : Profile.MIXED;
        return generate(seed, rnd, txCount, keyCount, profile, 6, false);
    }

    private static Block generate(long seed, SplittableRandom rnd, int txCount, int keyCount, Profile profile,
                                  int maxOps, boolean delays) {
        Map<String, Long> base = new LinkedHashMap<>();
        for (int k = 0; k < keyCount; k++) {
            if (rnd.nextInt(10) < 6) {
                base.put(key(k), value(rnd));
            }
        }
        // One key is hot: many transactions touch it, which is where conflicts come from.
        int hotKey = rnd.nextInt(keyCount);
        List<GeneratedTx> txs = new ArrayList<>(txCount);
        for (int i = 0; i < txCount; i++) {
            int opCount = 1 + rnd.nextInt(maxOps);
            List<Op> ops = new ArrayList<>(opCount);
            for (int j = 0; j < opCount; j++) {
                String k = key(rnd.nextInt(4) == 0 ? hotKey : rnd.nextInt(keyCount));
                ops.add(op(rnd, profile, k, delays));
            }
            txs.add(new GeneratedTx(i, ops));
        }
        String shape = profile + " keys=" + keyCount + " maxOps=" + maxOps + (delays ? " delays" : "");
        return new Block(true, seed, shape, base, txs);
    }

    private static Op op(SplittableRandom rnd, Profile profile, String k, boolean delays) {
        if (delays && rnd.nextInt(5) == 0) {
            return delayOp(rnd);
        }
        // Weights: read, write, delete, add, tryAdd, readCounter, throwIf.
        int[] w = switch (profile) {
            case MIXED -> new int[] {25, 20, 5, 15, 8, 8, 4};
            case READ_HEAVY -> new int[] {50, 8, 2, 5, 3, 15, 3};
            case WRITE_HEAVY -> new int[] {15, 40, 10, 15, 4, 4, 3};
            case COUNTERS -> new int[] {5, 3, 1, 55, 15, 12, 2};
            case FAILURES -> new int[] {25, 20, 5, 10, 8, 7, 25};
        };
        int total = 0;
        for (int x : w) {
            total += x;
        }
        int pick = rnd.nextInt(total);
        int kind = 0;
        while (pick >= w[kind]) {
            pick -= w[kind];
            kind++;
        }
        return switch (kind) {
            case 0 -> new Read(k);
            case 1 -> new Write(k, rnd.nextInt(100));
            case 2 -> new Delete(k);
            case 3 -> rnd.nextInt(6) == 0 ? new WriteOrAdd(k, rnd.nextInt(100), delta(rnd)) : new Add(k, delta(rnd));
            case 4 -> {
                Op t = tryAdd(rnd, k);
                yield rnd.nextInt(4) == 0 && t instanceof TryAdd a ? new Fits(k, a.delta(), a.min(), a.max()) : t;
            }
            case 5 -> new ReadCounter(k);
            default -> {
                long m = 2 + rnd.nextInt(9);
                yield new ThrowIf(m, rnd.nextLong(m));
            }
        };
    }

    private static Op delayOp(SplittableRandom rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> new Delay(DelayKind.SPIN, 500 + rnd.nextInt(10_000));
            case 1 -> new Delay(DelayKind.YIELD, 0);
            default -> new Delay(DelayKind.PARK, 1_000 + rnd.nextInt(20_000));
        };
    }

    /** Mostly small values, sometimes at the edges of {@code long} so adds overflow. */
    private static long value(SplittableRandom rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> Long.MAX_VALUE - rnd.nextInt(5);
            case 1 -> Long.MIN_VALUE + rnd.nextInt(5);
            case 2 -> rnd.nextLong();
            default -> rnd.nextInt(-100, 101);
        };
    }

    /** Mostly small deltas, sometimes 0, sometimes huge ones that wrap. */
    private static long delta(SplittableRandom rnd) {
        return switch (rnd.nextInt(40)) {
            case 0, 1, 2 -> 0;
            case 3 -> Long.MAX_VALUE - rnd.nextInt(3);
            case 4 -> Long.MIN_VALUE + rnd.nextInt(3);
            case 5 -> rnd.nextLong();
            default -> rnd.nextInt(-10, 11);
        };
    }

    private static Op tryAdd(SplittableRandom rnd, String k) {
        long delta = delta(rnd);
        long min;
        long max;
        int range = rnd.nextInt(40);
        if (range < 4) { // the whole range: only overflow rejects
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        } else if (range < 8) { // a budget that may not go below zero
            min = 0;
            max = Long.MAX_VALUE;
        } else if (range == 8) { // an empty range: the engine rejects it with an exception
            min = 1 + rnd.nextInt(10);
            max = min - 1 - rnd.nextInt(10);
        } else {
            min = rnd.nextInt(-100, 1);
            max = min + rnd.nextInt(201);
        }
        if (rnd.nextInt(3) == 0) {
            delta = rnd.nextInt(-10, 11);
        }
        return new TryAdd(k, delta, min, max);
    }
}
