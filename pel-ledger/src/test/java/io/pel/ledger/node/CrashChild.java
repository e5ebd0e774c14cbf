package io.pel.ledger.node;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The node {@link NodeCrashTest} kills: opens a {@link Node} on the directory given, mints to
 * {@value #ACCOUNTS} accounts (resuming after the admin's committed nonce), then submits rounds of transfers
 * forever, each sender's nonces read back from the node's committed state. It prints
 * {@code ACK <txHashHex> <height> <index>} for a transaction only after its commit future completed, that is
 * after the block was durably written. Arguments: the data directory and a seed for the transfers.
 */
public final class CrashChild {

    static final ChainId CHAIN = ChainId.of("pel-crash");
    static final KeyPair ADMIN = Keys.fromSeed(seed(99));
    static final int ACCOUNTS = 8;
    /** Transfers per account per round: consecutive nonces, so a round exercises the mempool's ordering. */
    static final int PER_ACCOUNT = 4;
    private static final long MINTED = 1_000_000_000L;
    /** A hang detector only. */
    private static final long TIMEOUT_S = 60;

    private CrashChild() {
    }

    static byte[] seed(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return seed;
    }

    static List<KeyPair> accounts() {
        List<KeyPair> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.add(Keys.fromSeed(seed(100 + i)));
        }
        return accounts;
    }

    static NodeConfig config() {
        return NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2).withBlockMaxTxs(64)
                .withBlockInterval(Duration.ofMillis(5));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        List<KeyPair> accounts = accounts();
        PrintStream out = System.out;
        // Never closed: the test kills this process, and a clean close is not what it is testing.
        Node node = Node.open(dir, config());
        out.println("OPEN " + node.height());
        out.flush();
        List<SignedTransaction> mints = new ArrayList<>();
        for (long n = node.nonce(Keys.accountId(ADMIN)); n < ACCOUNTS; n++) {
            mints.add(SignedTransaction.sign(ADMIN, CHAIN, n,
                    new Payload.Mint(Keys.accountId(accounts.get((int) n)), MINTED)));
        }
        commit(node, mints, out);
        while (true) {
            List<SignedTransaction> round = new ArrayList<>();
            for (int a = 0; a < ACCOUNTS; a++) {
                long next = node.nonce(Keys.accountId(accounts.get(a)));
                for (int k = 0; k < PER_ACCOUNT; k++) {
                    AccountId to = Keys.accountId(accounts.get(random.nextInt(ACCOUNTS)));
                    round.add(SignedTransaction.sign(accounts.get(a), CHAIN, next + k,
                            new Payload.Transfer(to, 1 + random.nextInt(10))));
                }
            }
            commit(node, round, out);
        }
    }

    private static void commit(Node node, List<SignedTransaction> txs, PrintStream out) throws Exception {
        List<Admission> admissions = node.submitAll(txs.stream().map(SignedTransaction::encode).toList());
        for (Admission admission : admissions) {
            if (!(admission instanceof Admission.Accepted accepted)) {
                throw new IllegalStateException("a transaction was refused: " + admission);
            }
            Committed c = accepted.committed().get(TIMEOUT_S, TimeUnit.SECONDS);
            if (!c.succeeded()) {
                // Balances never run short and nonces come from the chain, so a failure is a bug.
                throw new IllegalStateException("a transfer failed: " + c);
            }
            // One write per line, so a kill leaves at most the last line cut short (the test drops it).
            out.print("ACK " + c.txHash().toHex() + " " + c.height() + " " + c.index() + "\n");
            out.flush();
        }
    }
}
