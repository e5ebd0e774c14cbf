package io.pel.cli;

import io.pel.ledger.node.AuditProblem;
import io.pel.ledger.node.AuditReport;

/** Wording shared by {@code pel verify} and {@code pel replay}. */
final class Reports {

    private Reports() {
    }

    static String where(AuditProblem problem) {
        return problem.height() >= 0 ? "block " + problem.height() : "the store";
    }

    static String blocks(AuditReport report) {
        return report.blocks() == 0 ? "no blocks" : report.blocks() + " blocks (0.." + (report.blocks() - 1) + ")";
    }
}
