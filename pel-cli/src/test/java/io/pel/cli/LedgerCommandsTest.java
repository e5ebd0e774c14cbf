package io.pel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.NodeConfig;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

import picocli.CommandLine;

class LedgerCommandsTest {

    private static final ChainId CHAIN = ChainId.of("pel-cli-test");
    private static final KeyPair ADMIN = Keys.fromSeed(filled(9));

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private static byte[] filled(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return seed;
    }

    private int run(String... args) {
        CommandLine cmd = PelCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private String admin() {
        return Keys.accountId(ADMIN).toHex();
    }

    /** Three blocks at least: mints, then two rounds of transfers, each waited for. */
    @BeforeEach
    void buildChain() throws Exception {
        KeyPair alice = Keys.fromSeed(filled(1));
        KeyPair bob = Keys.fromSeed(filled(2));
        NodeConfig config = NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2)
                .withBlockInterval(Duration.ofMillis(5));
        try (Node node = Node.open(dir, config)) {
            List<List<SignedTransaction>> rounds = List.of(
                    List.of(SignedTransaction.sign(ADMIN, CHAIN, 0, new Payload.Mint(Keys.accountId(alice), 500)),
                            SignedTransaction.sign(ADMIN, CHAIN, 1, new Payload.Mint(Keys.accountId(bob), 500))),
                    List.of(SignedTransaction.sign(alice, CHAIN, 0, new Payload.Transfer(Keys.accountId(bob), 100)),
                            SignedTransaction.sign(bob, CHAIN, 0, new Payload.Transfer(Keys.accountId(alice), 7))),
                    List.of(SignedTransaction.sign(alice, CHAIN, 1, new Payload.Transfer(Keys.accountId(bob), 1))));
            for (List<SignedTransaction> round : rounds) {
                List<Admission> admissions = new ArrayList<>();
                for (SignedTransaction tx : round) {
                    admissions.add(node.submit(tx));
                }
                for (Admission admission : admissions) {
                    // A hang detector only.
                    ((Admission.Accepted) admission).committed().get(30, TimeUnit.SECONDS);
                }
            }
            assertTrue(node.height() >= 2, "height " + node.height());
        }
    }

    @Test
    void keysPrintsASeedAndTheAccountItControls() {
        assertEquals(0, run("keys"));
        Matcher m = Pattern.compile("seed:    ([0-9a-f]{64})\naccount: ([0-9a-f]{64})\n").matcher(out.toString());
        assertTrue(m.matches(), out::toString);
        assertEquals(m.group(2), Keys.accountId(Keys.fromSeed(java.util.HexFormat.of().parseHex(m.group(1)))).toHex());
    }

    @Test
    void keysJsonAndFromAGivenSeed() {
        String seed = "01".repeat(32);
        assertEquals(0, run("keys", "--seed", seed, "--json"));
        assertEquals("{\"seed\":\"" + seed + "\",\"account\":\"" + Keys.accountId(Keys.fromSeed(filled(1))).toHex()
                + "\"}\n", out.toString());
        assertEquals(2, run("keys", "--seed", "abc"));
        assertTrue(err.toString().contains("--seed"), err::toString);
    }

    @Test
    void verifyOfAnIntactChainSucceeds() {
        assertEquals(0, run("verify", "--data", dir.toString()), err::toString);
        assertTrue(out.toString().startsWith("verify " + dir + ": OK — "), out::toString);
        assertTrue(out.toString().contains("5 transactions"), out::toString);
    }

    @Test
    void verifyOfADamagedChainFailsWithTheCode() throws Exception {
        damageStateRoot();
        assertEquals(1, run("verify", "--data", dir.toString()));
        assertTrue(out.toString().contains("FAILED at block"), out::toString);
        assertTrue(out.toString().contains("STATE_ROOT_MISMATCH"), out::toString);
    }

    @Test
    void verifyOfNoStoreIsAUsageError() {
        assertEquals(2, run("verify", "--data", dir.resolve("absent").toString()));
        assertTrue(err.toString().contains("NO_STORE"), err::toString);
        assertEquals(2, run("verify"));
    }

    @Test
    void replayUnderTheRecordedRulesMatchesEveryRoot() {
        assertEquals(0, run("replay", "--data", dir.toString(), "--threads", "2"), err::toString);
        assertTrue(out.toString().startsWith("replay " + dir + ": OK — "), out::toString);
        assertTrue(out.toString().contains("identical"), out::toString);
        assertEquals(0, run("replay", "--data", dir.toString(), "--from", "1", "--to", "2"), err::toString);
    }

    @Test
    void replayWithTheRecordedAdminNamedMatchesToo() {
        assertEquals(0, run("replay", "--data", dir.toString(), "--admin", admin(), "--threads", "2"), err::toString);
        assertTrue(out.toString().startsWith("replay " + dir + ": OK — "), out::toString);
    }

    @Test
    void replayWithAnotherAdminThanTheRecordedOneIsAUsageError() {
        String other = Keys.accountId(Keys.fromSeed(filled(3))).toHex();
        assertEquals(2, run("replay", "--data", dir.toString(), "--admin", other));
        assertTrue(err.toString().contains("is not the admin"), err::toString);
        assertEquals("", out.toString());
    }

    @Test
    void replayOfABadRangeOrAdminIsAUsageError() {
        assertEquals(2, run("replay", "--data", dir.toString(), "--from", "2", "--to", "1"));
        assertTrue(err.toString().contains("BAD_RANGE"), err::toString);
        assertEquals(2, run("replay", "--data", dir.toString(), "--to", "999"));
        assertEquals(2, run("replay", "--data", dir.toString(), "--admin", "zz"));
        assertEquals(2, run("replay", "--data", dir.toString(), "--threads", "0"));
    }

    /** Overwrites the stored state root behind the store's back. */
    private void damageStateRoot() throws Exception {
        List<String> families = List.of("default", "blocks", "tx_index", "state", "tree_nodes", "meta", "receipts");
        try (ColumnFamilyOptions columns = new ColumnFamilyOptions(); DBOptions options = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = families.stream()
                    .map(n -> new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.US_ASCII), columns)).toList();
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
                db.put(handles.get(5), "state_root".getBytes(StandardCharsets.US_ASCII), new byte[32]);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }
}
