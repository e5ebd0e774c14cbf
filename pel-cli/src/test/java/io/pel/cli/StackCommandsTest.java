package io.pel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.NodeConfig;
import io.pel.referral.CampaignRules;
import io.pel.referral.ReferralCall;
import io.pel.server.PelStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pel verify} and {@code pel replay} on a stack directory (ledger in DIR/ledger, referral calls in it). */
class StackCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cmd = PelCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void verifyAndReplayAcceptAStackDirectoryWithReferralCalls() throws Exception {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 9);
        KeyPair admin = Keys.fromSeed(seed);
        try (PelStack stack = PelStack.open(dir, NodeConfig.defaults(ChainId.of("pel-stack-test"))
                .withAdmin(Keys.accountId(admin)).withThreads(2).withBlockInterval(Duration.ofMillis(20)))) {
            Admission a = stack.referral().submit(admin, new ReferralCall.CreateCampaign("spring",
                    CampaignRules.simple(CampaignRules.Reward.points(10), 1000)));
            Admission b = stack.referral().submit(admin, new ReferralCall.Join("spring", "web"));
            ((Admission.Accepted) a).committed().get(10, TimeUnit.SECONDS);
            assertTrue(((Admission.Accepted) b).committed().get(10, TimeUnit.SECONDS).succeeded());
        }
        assertEquals(0, run("verify", "--data", dir.toString()), err::toString);
        assertTrue(out.toString().contains("OK"), out::toString);
        assertEquals(0, run("replay", "--data", dir.toString(), "--threads", "2"), err::toString);
        assertTrue(out.toString().contains("replay " + dir + ": OK"), out::toString);
    }
}
