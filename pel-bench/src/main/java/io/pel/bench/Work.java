package io.pel.bench;

/** Deterministic compute standing in for a transaction's program, which the JIT cannot remove. */
public final class Work {

    private static volatile double nanosPerRound = -1;

    private Work() {
    }

    /**
     * Mixes {@code seed} for {@code rounds} rounds (a serial dependency chain, so it cannot be vectorised away);
     * callers fold the result into their output.
     */
    public static long burn(long seed, int rounds) {
        long h = seed;
        for (int i = 0; i < rounds; i++) {
            h ^= h >>> 31;
            h *= 0x9E3779B97F4A7C15L;
            h += i;
        }
        return h;
    }

    /** Measured once: the median of several timed runs after warm-up. */
    static double nanosPerRound() {
        double n = nanosPerRound;
        if (n < 0) {
            synchronized (Work.class) {
                if (nanosPerRound < 0) {
                    nanosPerRound = measure();
                }
                n = nanosPerRound;
            }
        }
        return n;
    }

    private static double measure() {
        final int rounds = 200_000;
        long sink = 0;
        for (int i = 0; i < 50; i++) {
            sink += burn(i, rounds);
        }
        double[] samples = new double[15];
        for (int i = 0; i < samples.length; i++) {
            long t = System.nanoTime();
            sink += burn(sink, rounds);
            samples[i] = (double) (System.nanoTime() - t) / rounds;
        }
        java.util.Arrays.sort(samples);
        if (sink == 42) {
            System.err.print(""); // keeps sink alive
        }
        return Math.max(0.05, samples[samples.length / 2]);
    }
}
