package io.pel.ledger.node;

import io.pel.core.TxContext;
import io.pel.ledger.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transaction's writes held back until it knows it succeeded: an application call runs on an overlay, and
 * only a call that returns has its writes applied ({@link #applyTo}); one that fails leaves none, while the
 * nonce written below the overlay stays. Reads go through to the engine's context, so they are recorded and
 * validated as usual; adds stay adds (no read), and {@link #tryAdd} asks {@link TxContext#fits} first, so a
 * budget far from its bound stays conflict-free.
 */
final class Overlay implements TxContext<Bytes, Bytes> {

    private sealed interface Op permits Value, Deleted, Delta {
    }

    private record Value(Bytes value) implements Op {
    }

    private record Deleted() implements Op {
    }

    private record Delta(long delta) implements Op {
    }

    private static final Deleted DELETED = new Deleted();

    private final TxContext<Bytes, Bytes> below;
    private final Map<Bytes, Op> ops = new LinkedHashMap<>();

    Overlay(TxContext<Bytes, Bytes> below) {
        this.below = below;
    }

    @Override
    public Bytes read(Bytes key) {
        return switch (ops.get(key)) {
            case null -> below.read(key);
            case Value v -> v.value();
            case Deleted d -> null;
            case Delta d -> StateLayout.encodeLong(below.readCounter(key) + d.delta());
        };
    }

    @Override
    public long readCounter(Bytes key) {
        return switch (ops.get(key)) {
            case null -> below.readCounter(key);
            case Value v -> StateLayout.decodeLong(v.value());
            case Deleted d -> 0;
            case Delta d -> below.readCounter(key) + d.delta();
        };
    }

    @Override
    public void write(Bytes key, Bytes value) {
        if (value == null) {
            throw new NullPointerException("value (use delete to remove a key)");
        }
        ops.put(key, new Value(value));
    }

    @Override
    public void delete(Bytes key) {
        ops.put(key, DELETED);
    }

    @Override
    public void add(Bytes key, long delta) {
        ops.put(key, switch (ops.get(key)) {
            case null -> new Delta(delta);
            case Value v -> new Value(StateLayout.encodeLong(StateLayout.decodeLong(v.value()) + delta));
            case Deleted d -> new Value(StateLayout.encodeLong(delta));
            case Delta d -> new Delta(d.delta() + delta);
        });
    }

    @Override
    public boolean fits(Bytes key, long delta, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        Op op = ops.get(key);
        if (op == null) {
            return below.fits(key, delta, min, max);
        }
        if (op instanceof Delta d) {
            // On top of its own pending adds: ask below about the sum, so the read stays a bound (conflict-free
            // far from it). Deterministic, so every executor agrees; only an overflowing sum is asked exactly.
            long sum = d.delta() + delta;
            if (((d.delta() ^ sum) & (delta ^ sum)) >= 0) {
                return below.fits(key, sum, min, max);
            }
        }
        long counter = readCounter(key);
        long result = counter + delta;
        return ((counter ^ result) & (delta ^ result)) >= 0 && result >= min && result <= max;
    }

    @Override
    public boolean tryAdd(Bytes key, long delta, long min, long max) {
        if (!fits(key, delta, min, max)) {
            return false;
        }
        add(key, delta);
        return true;
    }

    /** Applies the held-back writes, in the order they were first made. */
    void applyTo(TxContext<Bytes, Bytes> target) {
        ops.forEach((key, op) -> {
            switch (op) {
                case Value v -> target.write(key, v.value());
                case Deleted d -> target.delete(key);
                case Delta d -> target.add(key, d.delta());
            }
        });
    }
}
