package io.pel.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import io.pel.core.ParallelConfig;
import io.pel.ledger.AccountId;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.Applications;
import io.pel.ledger.node.AuditProblem;
import io.pel.ledger.node.AuditReport;
import io.pel.ledger.node.ChainAudit;
import io.pel.ledger.store.ChainRules;
import io.pel.referral.ReferralApp;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel replay}: {@link ChainAudit#replay} on a node's data directory (read-only: the node may be running). Exit code 0 when both
 * executions agree on every block and every compared state root matches, 1 at the first mismatch, 2 for a bad
 * command line (no store, an empty or out-of-chain range, a malformed admin id or one the store does
 * not record, no admin for a store that records none).
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Re-executes the stored blocks from the empty state, sequentially and with Block-STM, checks that "
                    + "both give identical outcomes and writes, and compares each replayed state root in the "
                    + "range with its block header's. Reads the store only, so its node may keep running.",
            "Mints are judged by the admin the store recorded when its node first opened it; --admin names it "
                    + "for a store written before that was recorded (then without the referral program).",
            "Application calls run with the referral program, as pel serve and pel demo run them."
        },
        sortOptions = false)
final class ReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "The node's data directory, or "
            + "a stack directory (pel serve, pel demo) whose ledger is in DIR/ledger.")
    Path data;

    @Option(names = "--from", paramLabel = "H", defaultValue = "0",
            description = "First height whose state root is compared (default: ${DEFAULT-VALUE}); "
                    + "blocks below it are re-executed but not compared.")
    long from;

    @Option(names = "--to", paramLabel = "H", description = "Last height re-executed (default: the last block).")
    Long to;

    @Option(names = "--threads", paramLabel = "T", description = "Block-STM worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--admin", paramLabel = "ACCOUNT",
            description = "The account (hex) the node allowed to mint (default: the one the store records). "
                    + "If the store records one, it must be this one.")
    String admin;

    @Override
    public Integer call() {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1 || threadCount > ParallelConfig.MAX_THREADS) {
            throw new ParameterException(spec.commandLine(),
                    "--threads must be in 1.." + ParallelConfig.MAX_THREADS + ", got " + threadCount);
        }
        // A stack directory keeps its ledger in DIR/ledger; the blocks ran with the referral program.
        Path store = DataDirs.ledger(data);
        OptionalLong last = to == null ? OptionalLong.empty() : OptionalLong.of(to);
        AuditReport report;
        if (admin == null) {
            report = ChainAudit.replay(store, Applications.of(new ReferralApp()), from, last, threadCount);
        } else {
            AccountId adminId;
            try {
                adminId = AccountId.fromHex(admin);
            } catch (EncodingException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--admin is not an account id: " + e.getMessage());
            }
            Optional<ChainRules> recorded = ChainAudit.rules(store);
            if (recorded.isPresent() && !recorded.get().admin().equals(Optional.of(adminId))) {
                throw new ParameterException(spec.commandLine(), "--admin " + admin + " is not the admin "
                        + data + " records (" + recorded.get().describe() + "); leave --admin out");
            }
            report = ChainAudit.replay(store, Optional.of(adminId), from, last, threadCount);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (report.problem().isPresent()) {
            AuditProblem problem = report.problem().get();
            if (problem.isUsageError()) {
                throw new ParameterException(spec.commandLine(), problem.code() + ": " + problem.message());
            }
            out.println("replay " + data + ": MISMATCH at " + Reports.where(problem) + " — " + problem.code()
                    + ": " + problem.message());
            out.println("  " + report.blocks() + " blocks replayed and " + report.rootsCompared()
                    + " state roots matched before it");
            out.flush();
            return 1;
        }
        out.println("replay " + data + ": OK — " + Reports.blocks(report) + ", " + report.transactions()
                + " transactions re-executed sequentially and with Block-STM on " + threadCount
                + " threads: identical; " + report.rootsCompared() + " state roots"
                + (report.rootsCompared() == 0 ? "" : " (blocks " + from + ".." + (report.blocks() - 1) + ")")
                + " match their headers, and every stored receipt matches; state root "
                + report.stateRoot().toHex());
        if (report.transactions() > 0) {
            out.printf("  time: sequential %.1f ms, Block-STM %.1f ms (%.2fx), %.3f re-executions per transaction%n",
                    report.sequentialNanos() / 1e6, report.blockStmNanos() / 1e6, report.speedup(),
                    (double) report.reexecutions() / report.transactions());
        }
        out.flush();
        return 0;
    }
}
