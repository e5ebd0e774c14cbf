package io.pel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class PelCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = PelCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void withoutArgumentsPrintsUsageListingSubcommandsAndSucceeds() {
        assertEquals(0, run());
        assertTrue(out.toString().contains("Usage: pel"), out::toString);
        assertTrue(out.toString().contains("demo"), out::toString);
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        assertEquals(2, run("no-such-command"));
        assertTrue(err.toString().contains("no-such-command"), err::toString);
        assertTrue(err.toString().contains("Usage: pel"), err::toString);
    }

    @Test
    void engineDemoRejectsTooFewAccountsBeforeRunningAnything() {
        assertEquals(2, run("engine-demo", "--accounts", "1"));
        assertTrue(err.toString().contains("--accounts must be >= 2"), err::toString);
    }

    @Test
    void engineDemoHelpListsItsOptions() {
        assertEquals(0, run("engine-demo", "--help"));
        for (String option : new String[] {"--transactions", "--accounts", "--threads", "--seed", "--json"}) {
            assertTrue(out.toString().contains(option), option + " missing from:\n" + out);
        }
    }

    @Test
    void demoHelpListsItsOptions() {
        assertEquals(0, run("demo", "--help"));
        for (String option : new String[] {"--data", "--events", "--participants", "--no-serve", "--json", "--port"}) {
            assertTrue(out.toString().contains(option), option + " missing from:\n" + out);
        }
    }

    @Test
    void engineAbComparesTwoBuildsOfTheEngineInOneRun() throws Exception {
        String core = java.nio.file.Path.of(io.pel.core.BlockExecutor.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toString();
        assertEquals(0, run("engine-ab", "--variant", "one=" + core, "--variant", "two=" + core, "--weight", "pure",
                "--block-size", "500", "--blocks", "1", "--reps", "3", "--warmup", "1"), err::toString);
        String table = out.toString();
        assertTrue(table.contains("p2p pure, 10000 accounts, blockstm with 2 threads"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("one ") && l.trim().endsWith("+0.0%")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("two ") && l.trim().endsWith("%")), table);
    }

    @Test
    void engineAbWantsTwoBuildsThatExist() {
        assertEquals(2, run("engine-ab", "--variant", "one=/no/such/pel-core.jar", "--variant", "two=/no/such.jar"));
        assertTrue(err.toString().contains("no such pel-core build"), err::toString);
    }
}
