package io.pel.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.pel.ledger.node.AuditProblem;
import io.pel.ledger.node.AuditReport;
import io.pel.ledger.node.ChainAudit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel verify}: {@link ChainAudit#verify} on a node's data directory (read-only: the node may be running). Exit code 0 when every
 * check passes, 1 at the first problem (printed with its code and height), 2 when the directory holds no store.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a ledger data directory (read-only, so its node may keep running): every block decodes, stands at its height, "
                    + "links to its parent, keeps time moving forward and matches its transaction root; every "
                    + "transaction is indexed where it stands; the last block's state root is the stored one, "
                    + "the stored values hash to it and the stored tree holds it.",
            "Prints OK, or the first problem with its code and block height."
        },
        sortOptions = false)
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "The node's data directory, or "
            + "a stack directory (pel serve, pel demo) whose ledger is in DIR/ledger.")
    Path data;

    @Override
    public Integer call() {
        AuditReport report = ChainAudit.verify(DataDirs.ledger(data));
        PrintWriter out = spec.commandLine().getOut();
        if (report.problem().isPresent()) {
            AuditProblem problem = report.problem().get();
            if (problem.isUsageError()) {
                throw new ParameterException(spec.commandLine(), problem.code() + ": " + problem.message());
            }
            out.println("verify " + data + ": FAILED at " + Reports.where(problem) + " — " + problem.code() + ": "
                    + problem.message());
            out.println("  " + report.blocks() + " blocks and " + report.transactions()
                    + " transactions checked before it; the chain claims blocks 0.." + report.lastHeight());
            out.flush();
            return 1;
        }
        out.println("verify " + data + ": OK — " + Reports.blocks(report) + ", " + report.transactions()
                + " transactions; state root " + report.stateRoot().toHex());
        out.flush();
        return 0;
    }
}
