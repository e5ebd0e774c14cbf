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
}
