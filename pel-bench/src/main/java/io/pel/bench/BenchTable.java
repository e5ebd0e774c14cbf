package io.pel.bench;

import java.util.Locale;

/** Formats bench rows as a readable fixed-width table. */
public final class BenchTable {

    private BenchTable() {
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-12s %-6s %8s %-10s %7s %12s %8s %8s %7s %6s %8s %10s %9s %6s",
                "workload", "weight", "accounts", "executor", "threads", "tx/s", "speedup", "reexec/tx",
                "bound", "eff", "scaling", "median ms", "+ns/tx", "stm");
    }

    public static String row(BenchRow r) {
        return String.format(Locale.ROOT, "%-12s %-6s %8s %-10s %7d %12.0f %7.2fx %9.3f %7.2f %6.2f %8s %10.2f %9.0f %6s",
                r.workload(), r.weight(), r.accounts() > 0 ? Integer.toString(r.accounts()) : "-", r.executor(),
                r.threads(), r.tps(), r.speedup(), r.reexecPerTx(), r.bound(), r.efficiency(),
                Double.isNaN(r.scaling()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.scaling()),
                r.medianMillis(), r.extraNanosPerTx(),
                Double.isNaN(r.blockStmShare()) ? "-"
                        : String.format(Locale.ROOT, "%.0f%%", 100 * r.blockStmShare()));
    }
}
