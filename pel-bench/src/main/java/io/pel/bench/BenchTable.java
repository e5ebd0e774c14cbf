package io.pel.bench;

import java.util.Locale;

/** Formats bench rows as a readable fixed-width table. */
public final class BenchTable {

    private BenchTable() {
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-12s %-6s %8s %-10s %7s %12s %8s %8s %7s %6s %8s %10s %9s  %s",
                "workload", "weight", "accounts", "executor", "threads", "tx/s", "speedup", "reexec/tx",
                "bound", "eff", "scaling", "median ms", "+ns/tx", "path");
    }

    public static String row(BenchRow r) {
        return String.format(Locale.ROOT, "%-12s %-6s %8s %-10s %7d %12.0f %7.2fx %9.3f %7.2f %6.2f %8s %10.2f %9.0f %s",
                r.workload(), r.weight(), r.accounts() > 0 ? Integer.toString(r.accounts()) : "-", r.executor(),
                r.threads(), r.tps(), r.speedup(), r.reexecPerTx(), r.bound(), r.efficiency(),
                Double.isNaN(r.scaling()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.scaling()),
                r.medianMillis(), r.extraNanosPerTx(),
                path(r));
    }

    /**
     * Which path the executor took on the measured blocks: "-" for the sequential and ceiling rows, else the
     * share run in parallel and by which algorithm ("stm" Block-STM, "oc" ordered commit), e.g. "100% oc",
     * "3% stm", "0%" (all sequential).
     */
    static String path(BenchRow r) {
        if (Double.isNaN(r.blockStmShare())) {
            return "-";
        }
        double parallel = r.blockStmShare() + r.orderedShare();
        String share = String.format(Locale.ROOT, "%.0f%%", 100 * parallel);
        if (r.blockStmShare() > 0 && r.orderedShare() > 0) {
            return String.format(Locale.ROOT, "%s (%.0f%% oc)", share, 100 * r.orderedShare());
        }
        return r.orderedShare() > 0 ? share + " oc" : r.blockStmShare() > 0 ? share + " stm" : share;
    }
}
