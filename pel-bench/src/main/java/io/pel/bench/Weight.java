package io.pel.bench;

import java.util.Locale;

/**
 * How much deterministic compute a benchmark transaction does besides touching state: none, about 2 µs (a
 * small VM call) or about 50 µs. The number of rounds is calibrated once per process, so that sequential and
 * parallel runs in one bench do exactly the same work.
 */
public enum Weight {
    PURE(0),
    LIGHT(2_000),
    HEAVY(50_000);

    private final long targetNanos;
    private volatile int rounds = -1;

    Weight(long targetNanos) {
        this.targetNanos = targetNanos;
    }

    public static Weight parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public long targetNanos() {
        return targetNanos;
    }

    /**
     * Uses {@code rounds} instead of calibrating: for a comparison whose sides each load this class (see
     * {@link EngineAb}), so that all of them do exactly the same work.
     */
    public void useRounds(int rounds) {
        if (rounds < 0 || (targetNanos == 0) != (rounds == 0)) {
            throw new IllegalArgumentException(label() + " cannot use " + rounds + " rounds");
        }
        this.rounds = rounds;
    }

    /** Rounds of {@link Work#burn} that take about {@link #targetNanos()} on this machine. */
    public int rounds() {
        int r = rounds;
        if (r < 0) {
            r = targetNanos == 0 ? 0 : (int) Math.max(1, Math.round(targetNanos / Work.nanosPerRound()));
            rounds = r;
        }
        return r;
    }
}
