package io.pel.bench;

import java.util.List;
import java.util.Locale;

/**
 * Named sets of bench cases, so that the figures an issue or a release note quotes come from one command.
 */
public enum BenchSuite {
    /** The rows the engine's performance targets are stated for (2-core machine), plus 4 and 8 threads. */
    TARGETS,
    /** Every workload, account count and weight of the design's yardstick. */
    STANDARD;

    public static BenchSuite parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** The cases of this suite; {@code base} supplies block size, blocks, repetitions, warm-up, seed and the rest. */
    public List<BenchConfig> configs(BenchConfig base) {
        List<Integer> threads = List.of(1, 2, 4, 8);
        return switch (this) {
            case TARGETS -> List.of(
                    with(base, Workload.Kind.P2P, List.of(10_000), List.of(Weight.LIGHT, Weight.PURE), threads, 0),
                    with(base, Workload.Kind.P2P, List.of(2), List.of(Weight.LIGHT), threads, 0),
                    with(base, Workload.Kind.HOTSPOT, List.of(10_000), List.of(Weight.LIGHT), threads, 1.0),
                    with(base, Workload.Kind.INDEPENDENT, List.of(0), List.of(Weight.HEAVY), threads, 0));
            case STANDARD -> List.of(
                    with(base, Workload.Kind.P2P, List.of(2, 10, 100, 1_000, 10_000, 100_000),
                            List.of(Weight.PURE, Weight.LIGHT, Weight.HEAVY), base.threads(), 0),
                    with(base, Workload.Kind.HOTSPOT, List.of(10_000), List.of(Weight.PURE, Weight.LIGHT),
                            base.threads(), base.fraction()),
                    with(base, Workload.Kind.HOTSPOT_RW, List.of(10_000), List.of(Weight.PURE, Weight.LIGHT),
                            base.threads(), base.fraction()),
                    with(base, Workload.Kind.INDEPENDENT, List.of(0), List.of(Weight.PURE, Weight.LIGHT, Weight.HEAVY),
                            base.threads(), 0),
                    // The referral program's own transactions, with its delta counters on and off.
                    with(base, Workload.Kind.REFERRAL, List.of(2_000), List.of(Weight.PURE), base.threads(), 0),
                    with(base, Workload.Kind.REFERRAL_RW, List.of(2_000), List.of(Weight.PURE), base.threads(), 0));
        };
    }

    private static BenchConfig with(BenchConfig base, Workload.Kind kind, List<Integer> accounts, List<Weight> weights,
                                    List<Integer> threads, double fraction) {
        return new BenchConfig(List.of(kind), accounts, fraction, weights, base.blockSize(), base.blocks(), threads,
                base.reps(), base.warmup(), base.seed(), base.blockStm(), base.ordered(), base.ceiling(),
                base.minRepetitionMillis());
    }
}
