package io.pel.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent, deliberately naive interpreter of {@link RandomBlocks} blocks: what the {@link TxContext}
 * Javadoc says, and nothing of the engine. Each transaction runs on a full copy of the state, so "own writes
 * shadow" and "a failed transaction's writes are discarded" hold by construction, and {@code add} is
 * literally {@code write(key, read(key) + delta)}.
 */
final class ReferenceModel {

    private ReferenceModel() {
    }

    /** What a block should produce. */
    record Expected(List<Outcome<Long>> outcomes, WriteSet<String, Long> writeSet) {

        /** The outcomes and write set of an executor's result, to compare like with like. */
        static Expected of(BlockResult<String, Long, Long> result) {
            return new Expected(result.outcomes(), result.writeSet());
        }

        /**
         * Where {@code actual} differs from this: the first few differing outcomes and keys, or {@code null}
         * when they are equal.
         */
        String differencesFrom(BlockResult<String, Long, Long> actual) {
            if (outcomes.equals(actual.outcomes()) && writeSet.equals(actual.writeSet())) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            if (outcomes.size() != actual.outcomes().size()) {
                sb.append("  outcome count: expected ").append(outcomes.size())
                        .append(", got ").append(actual.outcomes().size()).append('\n');
            }
            int shown = 0;
            for (int i = 0; i < Math.min(outcomes.size(), actual.outcomes().size()) && shown < 10; i++) {
                if (!outcomes.get(i).equals(actual.outcome(i))) {
                    sb.append("  outcome of T").append(i).append(": expected ").append(outcomes.get(i))
                            .append(", got ").append(actual.outcome(i)).append('\n');
                    shown++;
                }
            }
            Set<String> keys = new java.util.TreeSet<>(writeSet.keys());
            keys.addAll(actual.writeSet().keys());
            shown = 0;
            for (String k : keys) {
                String e = describe(writeSet, k);
                String a = describe(actual.writeSet(), k);
                if (!e.equals(a) && shown++ < 10) {
                    sb.append("  write set at ").append(k).append(": expected ").append(e)
                            .append(", got ").append(a).append('\n');
                }
            }
            return sb.toString();
        }

        private static String describe(WriteSet<String, Long> ws, String key) {
            if (!ws.contains(key)) {
                return "<unchanged>";
            }
            return ws.isDeleted(key) ? "<deleted>" : String.valueOf(ws.value(key));
        }
    }

    static Expected run(RandomBlocks.Block block) {
        Map<String, Long> state = new HashMap<>(block.base());
        Set<String> changed = new HashSet<>();
        List<Outcome<Long>> outcomes = new ArrayList<>(block.size());
        for (RandomBlocks.GeneratedTx tx : block.transactions()) {
            Map<String, Long> view = new HashMap<>(state);
            Set<String> touched = new HashSet<>();
            try {
                long output = interpret(tx, view, touched);
                outcomes.add(new Outcome.Success<>(output));
                state = view;
                changed.addAll(touched);
            } catch (ModelFailure f) {
                outcomes.add(new Outcome.Failure<>(f.type, f.getMessage()));
            }
        }
        WriteSet.Builder<String, Long> ws = WriteSet.builder(changed.size());
        for (String k : changed) {
            Long v = state.get(k);
            if (v == null) {
                ws.delete(k);
            } else {
                ws.put(k, v);
            }
        }
        return new Expected(outcomes, ws.build());
    }

    /** A transaction failure as the model predicts it: the exception type's name and its message. */
    private static final class ModelFailure extends Exception {
        final String type;

        ModelFailure(Class<? extends Throwable> type, String message) {
            super(message, null, false, false);
            this.type = type.getName();
        }
    }

    private static long interpret(RandomBlocks.GeneratedTx tx, Map<String, Long> view, Set<String> touched)
            throws ModelFailure {
        long acc = RandomBlocks.initialAccumulator(tx.index());
        List<RandomBlocks.Op> ops = tx.ops();
        for (int j = 0; j < ops.size(); j++) {
            switch (ops.get(j)) {
                case RandomBlocks.Read r -> acc = RandomBlocks.fold(acc, view.get(r.key()));
                case RandomBlocks.Write w -> {
                    view.put(w.key(), acc + w.constant());
                    touched.add(w.key());
                }
                case RandomBlocks.Delete d -> {
                    view.remove(d.key());
                    touched.add(d.key());
                }
                case RandomBlocks.Add a -> {
                    // Absent is 0; long arithmetic wraps, as the Javadoc asks.
                    view.put(a.key(), counter(view, a.key()) + a.delta());
                    touched.add(a.key());
                }
                case RandomBlocks.WriteOrAdd wa -> {
                    view.put(wa.key(), (acc & 1) == 0 ? acc + wa.constant() : counter(view, wa.key()) + wa.delta());
                    touched.add(wa.key());
                }
                case RandomBlocks.TryAdd t -> {
                    if (t.min() > t.max()) {
                        // Not in the TxContext Javadoc; mirrors BufferedContext's argument check.
                        throw new ModelFailure(IllegalArgumentException.class,
                                "min " + t.min() + " > max " + t.max());
                    }
                    boolean applied = false;
                    long current = counter(view, t.key());
                    long sum = current + t.delta();
                    boolean overflow = ((current ^ sum) & (t.delta() ^ sum)) < 0;
                    if (!overflow && sum >= t.min() && sum <= t.max()) {
                        view.put(t.key(), sum);
                        touched.add(t.key());
                        applied = true;
                    }
                    acc = RandomBlocks.fold(acc, applied ? 1 : 2);
                }
                case RandomBlocks.Fits f -> {
                    if (f.min() > f.max()) {
                        throw new ModelFailure(IllegalArgumentException.class,
                                "min " + f.min() + " > max " + f.max());
                    }
                    long current = counter(view, f.key());
                    long sum = current + f.delta();
                    boolean overflow = ((current ^ sum) & (f.delta() ^ sum)) < 0;
                    acc = RandomBlocks.fold(acc, !overflow && sum >= f.min() && sum <= f.max() ? 3 : 4);
                }
                case RandomBlocks.ReadCounter c -> acc = RandomBlocks.fold(acc, counter(view, c.key()));
                case RandomBlocks.ThrowIf t -> {
                    if (Math.floorMod(acc, t.modulus()) == t.remainder()) {
                        throw new ModelFailure(IllegalStateException.class,
                                RandomBlocks.failureMessage(tx.index(), j));
                    }
                }
                case RandomBlocks.Delay ignored -> {
                    // Timing only.
                }
            }
        }
        return acc;
    }

    private static long counter(Map<String, Long> view, String key) {
        Long v = view.get(key);
        return v == null ? 0 : v;
    }
}
