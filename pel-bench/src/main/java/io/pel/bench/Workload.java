package io.pel.bench;

import io.pel.core.BaseState;
import io.pel.core.CounterCodec;
import io.pel.core.Transaction;
import io.pel.core.TxContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic, seeded generator of benchmark blocks.
 *
 * <ul>
 *   <li>{@code p2p}: transfers between {@code accounts} accounts (read both balances, write both);</li>
 *   <li>{@code hotspot}: a fraction of transactions add 1 to one shared counter with a delta, the rest are p2p;</li>
 *   <li>{@code hotspot-rw}: the same, but the counter is read then written;</li>
 *   <li>{@code independent}: every transaction reads and writes only its own key.</li>
 * </ul>
 */
public record Workload(Kind kind, int accounts, double fraction, Weight weight) {

    /** Every account starts rich enough that no benchmark transfer ever fails. */
    static final long INITIAL_BALANCE = 1_000_000_000_000L;
    /** The hot counter's key, apart from every account key. */
    static final Integer HOT_KEY = -1;

    public enum Kind {
        P2P("p2p"), HOTSPOT("hotspot"), HOTSPOT_RW("hotspot-rw"), INDEPENDENT("independent");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Kind parse(String s) {
            String wanted = s.trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                if (k.label.equals(wanted)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown workload '" + s + "' (p2p, hotspot, hotspot-rw, independent)");
        }
    }

    public Workload {
        if (kind != Kind.INDEPENDENT && accounts < 2) {
            throw new IllegalArgumentException("a transfer needs at least 2 accounts, got " + accounts);
        }
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction must be within [0, 1], got " + fraction);
        }
    }

    public String name() {
        return kind.label();
    }

    /** Block number {@code index} of this workload for {@code seed}: the same inputs give the same block. */
    public BenchBlock<Integer, Long, Long> block(int size, long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int rounds = weight.rounds();
        List<Transaction<Integer, Long, Long>> txs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            long txSeed = random.nextLong();
            Transaction<Integer, Long, Long> tx = switch (kind) {
                case P2P -> transfer(random, rounds, txSeed);
                case HOTSPOT, HOTSPOT_RW -> random.nextDouble() < fraction
                        ? new HotCounter(kind == Kind.HOTSPOT, rounds, txSeed)
                        : transfer(random, rounds, txSeed);
                case INDEPENDENT -> new OwnKey(i, rounds, txSeed);
            };
            txs.add(tx);
        }
        return new BenchBlock<>(txs, kind == Kind.INDEPENDENT ? key -> INITIAL_BALANCE : accountsBase(accounts),
                CounterCodec.longs());
    }

    private Transfer transfer(SplittableRandom random, int rounds, long txSeed) {
        int from = random.nextInt(accounts);
        int to = random.nextInt(accounts - 1);
        if (to >= from) {
            to++;
        }
        return new Transfer(from, to, 1 + random.nextInt(100), rounds, txSeed);
    }

    private static BaseState<Integer, Long> accountsBase(int accounts) {
        Long initial = INITIAL_BALANCE;
        return key -> key >= 0 && key < accounts ? initial : null;
    }

    private static long value(Long v) {
        return v == null ? 0 : v;
    }

    /** Moves {@code amount} between two accounts; compute sits between the reads and the writes, as in a VM. */
    record Transfer(Integer from, Integer to, long amount, int rounds, long seed)
            implements Transaction<Integer, Long, Long> {
        @Override
        public Long execute(TxContext<Integer, Long> ctx) {
            long f = value(ctx.read(from));
            long t = value(ctx.read(to));
            long h = Work.burn(seed ^ f, rounds);
            if (f < amount) {
                throw new IllegalStateException("insufficient funds in account " + from);
            }
            ctx.write(from, f - amount);
            ctx.write(to, t + amount);
            return h;
        }
    }

    /** Adds 1 to the hot counter, as a delta or by reading and writing it. */
    record HotCounter(boolean asDelta, int rounds, long seed) implements Transaction<Integer, Long, Long> {
        @Override
        public Long execute(TxContext<Integer, Long> ctx) {
            if (asDelta) {
                long h = Work.burn(seed, rounds);
                ctx.add(HOT_KEY, 1);
                return h;
            }
            long v = value(ctx.read(HOT_KEY));
            long h = Work.burn(seed ^ v, rounds);
            ctx.write(HOT_KEY, v + 1);
            return h;
        }
    }

    /** Touches only key {@code key}. */
    record OwnKey(Integer key, int rounds, long seed) implements Transaction<Integer, Long, Long> {
        @Override
        public Long execute(TxContext<Integer, Long> ctx) {
            long v = value(ctx.read(key));
            long h = Work.burn(seed ^ v, rounds);
            ctx.write(key, v + 1);
            return h;
        }
    }
}
