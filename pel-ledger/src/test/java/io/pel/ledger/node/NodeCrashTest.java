package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.store.LedgerStore;
import io.pel.ledger.store.TxLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §9's crash test: a child JVM node ({@link CrashChild}) takes transfers and is killed with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux) at random moments, {@code -Dpel.crash.kills=N} times (default 5;
 * {@code -Dpel.crash.seed=S} changes the moments and transfers). After each kill: every transaction the child
 * acknowledged (printed only once its commit future completed) is in the transaction index at the height and
 * position it was acknowledged with; {@link ChainAudit#verify} passes; a fresh replay, sequential and Block-STM,
 * reaches the stored state root. The next start must resume from that store. Every wait is a hang detector;
 * nothing here depends on how fast anything runs.
 */
class NodeCrashTest {

    /** Hang detector for a child to acknowledge its first transaction after a (re)start. */
    private static final long FIRST_ACK_TIMEOUT_S = 120;

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    private final Map<Hash, TxLocation> acknowledged = new HashMap<>();

    @Test
    void aKilledNodeKeepsEveryAcknowledgedTransactionAndAVerifiableChain() throws Exception {
        int kills = Integer.getInteger("pel.crash.kills", 5);
        long seed = Long.getLong("pel.crash.seed", 20261129L);
        Random random = new Random(seed);
        Path data = dir.resolve("node");
        int blindKills = 0;
        for (int k = 0; k < kills; k++) {
            Path log = logs.resolve("child-" + k + ".log");
            Process child = start(data, seed + k, log);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(child.getInputStream(), lines));
            // Mostly kill while transfers flow; now and then blind, which may hit start-up or recovery. The last
            // run always acknowledges first, so the final store is proven to reopen.
            boolean blind = k < kills - 1 && random.nextInt(4) == 0;
            if (blind) {
                blindKills++;
            } else {
                awaitFirstAck(child, lines, log);
            }
            Thread.sleep(random.nextInt(blind ? 1500 : 400));
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the killed child exits").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(60));
            drain(lines);
            checkStore(data, k);
        }
        System.err.printf("NodeCrashTest: %d kills (%d blind), %d transactions acknowledged%n", kills, blindKills,
                acknowledged.size());
        assertThat(acknowledged.size()).as("transactions acknowledged over all runs").isGreaterThanOrEqualTo(kills - blindKills);
    }

    private static Process start(Path data, long seed, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), data.toString(), Long.toString(seed)));
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    /** Complete lines only: a line the kill cut short has no newline and is dropped. */
    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (in) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            // The pipe closes when the child dies: what was read is what counts.
        }
    }

    private void awaitFirstAck(Process child, BlockingQueue<String> lines, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_ACK_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && record(line)) {
                return;
            }
            if (line == null && !child.isAlive() && lines.isEmpty()) {
                throw new AssertionError("the child exited with " + child.exitValue() + " before acknowledging "
                        + "anything:\n" + Files.readString(log));
            }
        }
        throw new AssertionError("no acknowledgement within " + FIRST_ACK_TIMEOUT_S + " s:\n" + Files.readString(log));
    }

    private void drain(BlockingQueue<String> lines) {
        for (String line; (line = lines.poll()) != null; ) {
            record(line);
        }
    }

    private boolean record(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 4 || !parts[0].equals("ACK")) {
            return false;
        }
        TxLocation at = new TxLocation(Long.parseLong(parts[2]), Integer.parseInt(parts[3]));
        TxLocation before = acknowledged.put(Hash.fromHex(parts[1]), at);
        assertThat(before).as("a transaction acknowledged twice").isIn(null, at);
        return true;
    }

    private void checkStore(Path data, int kill) {
        if (!Files.exists(data.resolve("CURRENT"))) {
            assertThat(acknowledged).as("acknowledged without a store, kill %d", kill).isEmpty();
            return;
        }
        Hash stored;
        try (LedgerStore store = LedgerStore.open(data)) {
            stored = store.stateRoot();
            for (Map.Entry<Hash, TxLocation> ack : acknowledged.entrySet()) {
                assertThat(store.transaction(ack.getKey())).as("acknowledged %s, after kill %d", ack.getKey(), kill)
                        .contains(ack.getValue());
            }
        }
        AuditReport verified = ChainAudit.verify(data);
        assertThat(verified.problem()).as("verify after kill %d", kill).isEmpty();
        AuditReport replayed = ChainAudit.replay(data, Optional.of(Keys.accountId(CrashChild.ADMIN)), 0,
                OptionalLong.empty(), 2);
        assertThat(replayed.problem()).as("replay after kill %d", kill).isEmpty();
        assertThat(replayed.stateRoot()).as("replayed root after kill %d", kill).isEqualTo(stored);
    }
}
