package io.pel.bench;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.CounterCodec;
import io.pel.core.Transaction;
import io.pel.core.TxContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The longest chain of true (read-after-write) dependencies in a block, from a sequential run's read and
 * write sets: no schedule can finish the block in fewer steps, so {@code n / longest} bounds any speed-up.
 *
 * <p>Transaction j depends on an earlier i when j reads a key that i wrote or added to, and i's write is
 * still visible (not overwritten by a later full write before j). An add does not read: two adds never
 * depend on each other; nor do bounded adds ({@code tryAdd}), which the engine re-runs only when earlier adds
 * change whether they fit. Failed transactions count for their reads, not their writes.
 */
public final class DependencyChain {

    private DependencyChain() {
    }

    /** Keys one transaction read from others, and what it wrote in full or added to. */
    private static final class Access<K> {
        final Set<K> reads = new HashSet<>();
        final Set<K> writes = new HashSet<>();
        final Set<K> adds = new HashSet<>();
    }

    public static <K, V, O> int longest(List<? extends Transaction<K, V, O>> block, BaseState<K, V> base,
                                        CounterCodec<V> codec) {
        List<Access<K>> accesses = new ArrayList<>(block.size());
        List<Transaction<K, V, O>> recorded = new ArrayList<>(block.size());
        for (Transaction<K, V, O> tx : block) {
            Access<K> access = new Access<>();
            accesses.add(access);
            recorded.add(ctx -> tx.execute(new Recording<>(ctx, access)));
        }
        BlockResult<K, V, O> result;
        try (BlockExecutor sequential = BlockExecutor.sequential()) {
            result = sequential.execute(recorded, base, codec);
        }
        // Per key: depth of the last full writer, and the deepest adder since it.
        Map<K, int[]> levels = new HashMap<>();
        int longest = 0;
        for (int i = 0; i < accesses.size(); i++) {
            Access<K> a = accesses.get(i);
            int depth = 1;
            for (K key : a.reads) {
                int[] level = levels.get(key);
                if (level != null) {
                    depth = Math.max(depth, 1 + Math.max(level[0], level[1]));
                }
            }
            longest = Math.max(longest, depth);
            if (!result.outcome(i).succeeded()) {
                continue;
            }
            for (K key : a.writes) {
                int[] level = levels.computeIfAbsent(key, k -> new int[2]);
                level[0] = depth;
                level[1] = 0;
            }
            for (K key : a.adds) {
                if (!a.writes.contains(key)) {
                    int[] level = levels.computeIfAbsent(key, k -> new int[2]);
                    level[1] = Math.max(level[1], depth);
                }
            }
        }
        return longest;
    }

    /** Passes every call through and notes which keys were read from others, written and added to. */
    private record Recording<K, V>(TxContext<K, V> ctx, Access<K> access) implements TxContext<K, V> {
        private void noteRead(K key) {
            if (!access.writes.contains(key)) {
                access.reads.add(key);
            }
        }

        @Override
        public V read(K key) {
            noteRead(key);
            return ctx.read(key);
        }

        @Override
        public long readCounter(K key) {
            noteRead(key);
            return ctx.readCounter(key);
        }

        @Override
        public void write(K key, V value) {
            ctx.write(key, value);
            access.writes.add(key);
        }

        @Override
        public void delete(K key) {
            ctx.delete(key);
            access.writes.add(key);
        }

        @Override
        public void add(K key, long delta) {
            ctx.add(key, delta);
            access.adds.add(key);
        }

        @Override
        public boolean fits(K key, long delta, long min, long max) {
            return ctx.fits(key, delta, min, max); // not a read: see tryAdd
        }

        @Override
        public boolean tryAdd(K key, long delta, long min, long max) {
            // A bounded add learns only whether it fits, which earlier adds change only near the bound: like
            // an add, it is not counted as a read (so the chain stays a lower bound, the speed-up an upper one).
            boolean applied = ctx.tryAdd(key, delta, min, max);
            if (applied) {
                access.adds.add(key);
            }
            return applied;
        }
    }
}
