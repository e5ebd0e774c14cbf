package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.CanonicalWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** Small real chains for audit tests, and a way to damage a stored one behind the store's back. */
final class TestChain {

    static final ChainId CHAIN = ChainId.of("pel-audit-test");
    static final KeyPair ADMIN = Keys.fromSeed(BlockTest.seed(9));
    static final List<KeyPair> USERS = List.of(Keys.fromSeed(BlockTest.seed(21)), Keys.fromSeed(BlockTest.seed(22)),
            Keys.fromSeed(BlockTest.seed(23)), Keys.fromSeed(BlockTest.seed(24)));
    /** A hang detector only. */
    private static final long TIMEOUT_S = 30;

    private TestChain() {
    }

    static Optional<AccountId> admin() {
        return Optional.of(Keys.accountId(ADMIN));
    }

    static NodeConfig config() {
        return NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2).withBlockMaxTxs(40)
                .withBlockInterval(Duration.ofMillis(5));
    }

    /**
     * Commits {@code rounds} rounds (the first mints, each later one transfers among the users, some of them
     * failing) and waits for each, so the chain has at least {@code rounds} blocks. Returns the last height.
     */
    static long build(Path dir, int rounds) throws Exception {
        Random random = new Random(11);
        try (Node node = Node.open(dir, config())) {
            for (int round = 0; round < rounds; round++) {
                List<SignedTransaction> txs = new ArrayList<>();
                if (round == 0) {
                    for (int i = 0; i < USERS.size(); i++) {
                        txs.add(SignedTransaction.sign(ADMIN, CHAIN, i,
                                new Payload.Mint(Keys.accountId(USERS.get(i)), 1_000)));
                    }
                } else {
                    for (int u = 0; u < USERS.size(); u++) {
                        long nonce = node.nonce(Keys.accountId(USERS.get(u)));
                        for (int k = 0; k < 5; k++) {
                            AccountId to = Keys.accountId(USERS.get(random.nextInt(USERS.size())));
                            // Up to 400 from a balance near 1 000: now and then a transfer fails.
                            txs.add(SignedTransaction.sign(USERS.get(u), CHAIN, nonce + k,
                                    new Payload.Transfer(to, 1 + random.nextInt(400))));
                        }
                    }
                }
                for (Admission admission : node.submitAll(txs.stream().map(SignedTransaction::encode).toList())) {
                    assertThat(admission).isInstanceOf(Admission.Accepted.class);
                    ((Admission.Accepted) admission).committed().get(TIMEOUT_S, TimeUnit.SECONDS);
                }
            }
            return node.height();
        }
    }

    static byte[] heightKey(long height) {
        return new CanonicalWriter(8).writeLong(height).toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Puts ({@code value} non-null) or deletes {@code key} in column family {@code family}, bypassing the store. */
    static void tamper(Path dir, String family, byte[] key, byte[] value) throws Exception {
        List<String> families = List.of("default", "blocks", "tx_index", "state", "tree_nodes", "meta", "receipts");
        try (ColumnFamilyOptions columns = new ColumnFamilyOptions(); DBOptions options = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = families.stream()
                    .map(name -> new ColumnFamilyDescriptor(ascii(name), columns)).toList();
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
                ColumnFamilyHandle handle = handles.get(families.indexOf(family));
                if (value == null) {
                    db.delete(handle, key);
                } else {
                    db.put(handle, key, value);
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }
}
