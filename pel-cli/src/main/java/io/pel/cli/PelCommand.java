package io.pel.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code pel} command. Without a subcommand it prints its usage help and succeeds. Exit codes: 0 success,
 * 1 the command ran and failed, 2 the command line was wrong (picocli's usage error).
 */
@Command(name = "pel",
        mixinStandardHelpOptions = true,
        versionProvider = PelCommand.Version.class,
        description = "PEL — the Parallel Execution Layer",
        subcommands = {DemoCommand.class, ServeCommand.class, TxCommand.class, BenchCommand.class,
            EngineDemoCommand.class, JmhCommand.class, KeysCommand.class, VerifyCommand.class, ReplayCommand.class, LedgerBenchCommand.class,
            LoadCommand.class, EngineAbCommand.class})
public final class PelCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    static CommandLine commandLine() {
        return new CommandLine(new PelCommand())
                .setExecutionExceptionHandler(PelCommand::reportFailure)
                .setParameterExceptionHandler(PelCommand::reportUsageError);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * An exception out of a subcommand is a failed run, not a usage error: one line saying what went wrong,
     * the stack trace only when asked for, since it is noise to a user and essential to a developer.
     */
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("pel " + cmd.getCommandName() + ": " + e);
        if (System.getenv("PEL_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set PEL_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return 1;
    }

    /** A wrong command line: what was wrong, a suggestion if one is close, and the usage of that command. */
    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        cmd.usage(err);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The version from the jar's manifest; "dev" when running from a classes directory. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PelCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "pel " + (version == null ? "dev" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
            };
        }
    }
}
