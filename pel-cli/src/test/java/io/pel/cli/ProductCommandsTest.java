package io.pel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.node.NodeConfig;
import io.pel.referral.ReferralCall;
import io.pel.referral.ReferralWorkload;
import io.pel.server.OperatorKeys;
import io.pel.server.PelServer;
import io.pel.server.PelStack;
import io.pel.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The product commands end to end: {@code pel demo --no-serve --json} and {@code pel tx} against a real server. */
class ProductCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = PelCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void demoReportsEverythingTheReadmePromisesAsJson() throws Exception {
        Path data = dir.resolve("demo");
        int code = run("demo", "--no-serve", "--json", "--data", data.toString(), "--events", "1500",
                "--participants", "200", "--threads", "2");
        assertThat(code).as("stdout:\n%s\nstderr:\n%s", out, err).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        for (String field : List.of("committed_txs", "blocks", "tps", "speedup", "reexec_per_tx", "leaderboard",
                "funnel", "fraud_flagged", "proof_verified")) {
            assertThat(report.has(field)).as(field).isTrue();
        }
        assertThat(report.get("committed_txs").asLong()).isEqualTo(1500);
        assertThat(report.get("not_committed").asLong()).isZero();
        assertThat(report.get("blocks").asLong()).isPositive();
        assertThat(report.get("tps").asDouble()).isPositive();
        assertThat(report.get("speedup").asDouble()).isPositive();
        assertThat(report.get("replay").get("ok").asBoolean()).isTrue();
        assertThat(report.get("leaderboard")).hasSizeGreaterThan(0);
        assertThat(report.get("leaderboard").get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(report.get("funnel").get("total").get("signUps").asLong()).isPositive();
        assertThat(report.get("fraud_flagged").size()).isPositive();
        assertThat(report.get("proof_verified").asBoolean()).isTrue();
        assertThat(Files.exists(data.resolve(DemoCommand.MARKER))).isTrue();

        // A second run wipes the directory it made; a directory it did not make is refused.
        out.getBuffer().setLength(0);
        assertThat(run("demo", "--no-serve", "--json", "--data", data.toString(), "--events", "300",
                "--participants", "50")).isZero();
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        assertThat(run("demo", "--no-serve", "--data", foreign.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not made by pel demo");
        assertThat(foreign.resolve("precious.txt")).exists();
    }

    @Test
    void loadDrivesLinksAndBatchesAndLosesNothing() {
        int code = run("load", "--seconds", "1", "--clients", "4", "--participants", "20", "--batch", "50",
                "--batch-txs", "1000");
        assertThat(code).as("stdout:\n%s\nstderr:\n%s", out, err).isZero();
        String table = out.toString();
        assertThat(table).contains("links").contains("batch");
        for (String line : table.split("\n")) {
            if (line.startsWith("links") || line.startsWith("batch")) {
                String[] f = line.trim().split("\\s+");
                // test, requests, ok, req/s, p50, p99, max, committed/items, lost, errors
                assertThat(Long.parseLong(f[2])).as(line).isPositive();
                String[] committed = f[7].split("/");
                assertThat(committed[0]).as(line).isEqualTo(committed[1]);
                assertThat(f[8]).as(line).isEqualTo("0");
            }
        }
    }

    @Test
    void txSignsSubmitsAndReportsEachOutcome() throws Exception {
        KeyPair admin = ReferralWorkload.key("tx-test-admin");
        KeyPair alice = ReferralWorkload.key("tx-test-alice");
        NodeConfig config = NodeConfig.defaults(ChainId.of("pel-tx-test")).withAdmin(Keys.accountId(admin))
                .withThreads(2).withBlockInterval(Duration.ofMillis(20));
        try (PelStack stack = PelStack.open(dir.resolve("node"), config)) {
            PelServer server = stack.serve(ServerConfig.defaults().withPort(0).withAdminToken("t"),
                    OperatorKeys.of(admin, List.of(ReferralWorkload.key("tx-test-reporter"))), List.of());
            String url = server.url();
            String aliceId = Keys.accountId(alice).toHex();

            assertThat(run("tx", "mint", "--url", url, "--seed", Keys.seedHex(admin), "--to", aliceId,
                    "--amount", "100")).as("%s", out).isZero();
            assertThat(out.toString()).contains("committed at height").contains("success");
            assertThat(stack.node().balance(Keys.accountId(alice))).isEqualTo(100);

            out.getBuffer().setLength(0);
            assertThat(run("tx", "transfer", "--url", url, "--seed", Keys.seedHex(alice), "--to",
                    Keys.accountId(admin).toHex(), "--amount", "500")).isEqualTo(1);
            assertThat(out.toString()).contains("FAILED INSUFFICIENT_FUNDS");
            assertThat(stack.node().balance(Keys.accountId(alice))).isEqualTo(100);

            // A campaign to join: the join's output carries the personal code.
            stack.referral().submit(admin, new ReferralCall.CreateCampaign("spring", ReferralWorkload.benchRules()));
            out.getBuffer().setLength(0);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (stack.referral().campaign("spring").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // a hang detector's poll, not a timing assertion
            }
            assertThat(run("tx", "join", "--url", url, "--seed", Keys.seedHex(alice), "--campaign", "spring"))
                    .as("%s", out).isZero();
            assertThat(out.toString()).contains("Joined");
            assertThat(stack.referral().participant("spring", Keys.accountId(alice))).isPresent();

            // Usage errors change nothing and say what is wrong.
            long height = stack.node().height();
            assertThat(run("tx", "transfer", "--url", url, "--seed", "zz", "--to", aliceId, "--amount", "1"))
                    .isEqualTo(2);
            assertThat(run("tx", "transfer", "--url", url, "--seed", Keys.seedHex(alice), "--to", "nope",
                    "--amount", "1")).isEqualTo(2);
            assertThat(run("tx", "transfer", "--url", url, "--seed", Keys.seedHex(alice), "--to", aliceId,
                    "--amount", "0")).isEqualTo(2);
            assertThat(stack.node().height()).isEqualTo(height);
            assertThat(AccountId.fromHex(aliceId)).isEqualTo(Keys.accountId(alice));
        }
    }
}
