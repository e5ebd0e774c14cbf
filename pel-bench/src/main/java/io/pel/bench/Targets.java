package io.pel.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The engine's performance targets (2-core machine), read off the rows of a {@link BenchSuite#TARGETS} run: a
 * summary for people, so that the state of every target is one command away. Goals, not tests: nothing fails
 * when a figure is below its target.
 */
public final class Targets {

    private Targets() {
    }

    /** One target: the adaptive executor's speed-up over sequential on a workload, at a thread count. */
    record Target(String workload, int accounts, String weight, int threads, double minSpeedup,
                  double minEfficiency) {
        String label() {
            return Targets.label(workload, accounts, weight, threads);
        }

        String wanted() {
            return String.format(Locale.ROOT, ">= %.2fx", minSpeedup)
                    + (minEfficiency > 0 ? String.format(Locale.ROOT, ", eff >= %.2f", minEfficiency) : "");
        }
    }

    /**
     * What one target came to: measured figure, or "not measured" when the run had no such row. A figure from
     * a case whose baseline was disturbed ({@link BenchRow#baselineDisturbed()}) is neither met nor below: its
     * speed-ups are off by as much as the baseline's two measurements disagree.
     */
    public record Verdict(String target, String wanted, String measured, boolean met, boolean disturbed) {

        /** The verdict in a word or two, as the report shows it. */
        String status() {
            return disturbed ? "disturbed: run again" : met ? "met" : measured.equals(NOT_MEASURED) ? "-" : "below";
        }
    }

    static final List<Target> TARGETS = List.of(
            new Target("p2p", 10_000, "light", 2, 1.75, 0.88),
            new Target("p2p", 10_000, "pure", 2, 1.0, 0),
            new Target("p2p", 2, "light", 2, 0.85, 0),
            new Target("hotspot", 10_000, "light", 2, 1.7, 0),
            new Target("independent", 0, "heavy", 2, 1.85, 0),
            new Target("p2p", 10_000, "light", 1, 0.85, 0));

    static final String NOT_MEASURED = "not measured";

    /** Oversubscribed rows may not fall below this share of their own 2-thread speed-up. */
    static final double OVERSUBSCRIBED_SHARE = 0.8;

    /** The verdict of every target, then of every 4- and 8-thread row of the targets' workloads. */
    public static List<Verdict> evaluate(List<BenchRow> rows) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Target t : TARGETS) {
            Optional<BenchRow> row = find(rows, t.workload(), t.accounts(), t.weight(), t.threads());
            if (row.isEmpty()) {
                verdicts.add(new Verdict(t.label(), t.wanted(), NOT_MEASURED, false, false));
                continue;
            }
            BenchRow r = row.get();
            boolean met = r.speedup() >= t.minSpeedup() && r.efficiency() >= t.minEfficiency();
            String measured = String.format(Locale.ROOT, "%.2fx", r.speedup())
                    + (t.minEfficiency() > 0 ? String.format(Locale.ROOT, ", eff %.2f", r.efficiency()) : "");
            verdicts.add(new Verdict(t.label(), t.wanted(), measured, met, r.baselineDisturbed()));
        }
        for (Target t : TARGETS) {
            if (t.threads() != 2) {
                continue;
            }
            Optional<BenchRow> two = find(rows, t.workload(), t.accounts(), t.weight(), 2);
            for (int threads : List.of(4, 8)) {
                Optional<BenchRow> more = find(rows, t.workload(), t.accounts(), t.weight(), threads);
                if (two.isEmpty() || more.isEmpty()) {
                    continue;
                }
                double share = more.get().speedup() / two.get().speedup();
                String label = label(t.workload(), t.accounts(), t.weight(), threads);
                String wanted = String.format(Locale.ROOT, ">= %.2f of 2 threads", OVERSUBSCRIBED_SHARE);
                verdicts.add(new Verdict(label, wanted,
                        String.format(Locale.ROOT, "%.2fx = %.2f of 2 threads", more.get().speedup(), share),
                        share >= OVERSUBSCRIBED_SHARE,
                        two.get().baselineDisturbed() || more.get().baselineDisturbed()));
            }
        }
        return verdicts;
    }

    private static String label(String workload, int accounts, String weight, int threads) {
        String who = accounts > 0 ? workload + " " + accounts + " accounts" : workload;
        return who + ", " + weight + ", parallel(" + threads + ")";
    }

    private static Optional<BenchRow> find(List<BenchRow> rows, String workload, int accounts, String weight,
                                           int threads) {
        return rows.stream()
                .filter(r -> r.executor().equals("parallel") && r.workload().equals(workload)
                        && r.accounts() == accounts && r.weight().equals(weight) && r.threads() == threads)
                .findFirst();
    }

    /** Blocks the targets are stated for. */
    static final int BLOCK_SIZE = 10_000;

    /** The verdicts on {@code rows} as lines of text, after a heading. */
    public static List<String> report(List<BenchRow> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("targets (goals on a 2-core machine, read from the rows above; not a test):");
        rows.stream().mapToInt(BenchRow::blockSize).filter(size -> size != BLOCK_SIZE).findFirst().ifPresent(size ->
                lines.add(String.format(Locale.ROOT, "  (stated for blocks of %d transactions; these rows ran %d)",
                        BLOCK_SIZE, size)));
        lines.addAll(format(evaluate(rows)));
        return lines;
    }

    /** The verdicts as lines of text. */
    static List<String> format(List<Verdict> verdicts) {
        List<String> lines = new ArrayList<>();
        for (Verdict v : verdicts) {
            lines.add(String.format(Locale.ROOT, "  %-44s %-24s %-28s %s", v.target(), v.wanted(), v.measured(),
                    v.status()));
        }
        return lines;
    }
}
