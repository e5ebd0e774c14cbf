package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.Outcome;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LedgerTransactionTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ADMIN = Keys.fromSeed(BlockTest.seed(9));
    private static final KeyPair ALICE = Keys.fromSeed(BlockTest.seed(1));
    private static final KeyPair BOB = Keys.fromSeed(BlockTest.seed(2));

    private final Map<Bytes, Bytes> state = new HashMap<>();

    private static SignedTransaction tx(KeyPair from, long nonce, Payload payload) {
        return SignedTransaction.sign(from, CHAIN, nonce, payload);
    }

    private static List<LedgerTransaction> block(List<SignedTransaction> txs, Map<Bytes, Bytes> base) {
        return LedgerTransaction.forBlock(txs, Optional.of(Keys.accountId(ADMIN)), new BlockInfo(0, 0),
                Applications.none(), BaseState.of(base));
    }

    private static Payload mint(KeyPair to, long amount) {
        return new Payload.Mint(Keys.accountId(to), amount);
    }

    private static Payload transfer(KeyPair to, long amount) {
        return new Payload.Transfer(Keys.accountId(to), amount);
    }

    private List<Outcome<TxResult>> run(SignedTransaction... txs) {
        try (BlockExecutor exec = BlockExecutor.sequential()) {
            BlockResult<Bytes, Bytes, TxResult> r = exec.execute(block(List.of(txs), state), BaseState.of(state),
                    StateLayout.COUNTERS);
            r.writeSet().forEach((k, v) -> {
                if (v == null) {
                    state.remove(k);
                } else {
                    state.put(k, v);
                }
            });
            return r.outcomes();
        }
    }

    private long read(Bytes key) {
        return StateLayout.decodeLong(state.get(key));
    }

    /** The failure code: a payload's (the nonce used up) or the engine's (nothing changed). */
    private static String code(Outcome<TxResult> outcome) {
        if (outcome instanceof Outcome.Success<TxResult> s) {
            assertThat(s.output().error()).as("a failure").isPresent();
            return s.output().error().get().code();
        }
        Outcome.Failure<TxResult> failure = (Outcome.Failure<TxResult>) outcome;
        assertThat(failure.errorType()).isEqualTo(TxFailure.class.getName());
        return failure.message().substring(0, failure.message().indexOf(':'));
    }

    @Test
    void longsAreEightBytesBigEndianAndKeysArePrefixedIds() {
        assertThat(StateLayout.encodeLong(0x0102030405060708L).toHex()).isEqualTo("0102030405060708");
        assertThat(StateLayout.decodeLong(StateLayout.encodeLong(-5))).isEqualTo(-5);
        assertThat(StateLayout.COUNTERS.decode(StateLayout.COUNTERS.encode(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        AccountId alice = Keys.accountId(ALICE);
        assertThat(StateLayout.balanceKey(alice).toHex()).isEqualTo(Bytes.utf8("bal/").toHex() + alice.toHex());
        assertThat(StateLayout.nonceKey(alice).toHex()).isEqualTo(Bytes.utf8("nonce/").toHex() + alice.toHex());
    }

    @Test
    void mintsAndTransfersMoveBalancesAndBumpNonces() {
        List<Outcome<TxResult>> outcomes = run(tx(ADMIN, 0, mint(ALICE, 100)), tx(ALICE, 0, transfer(BOB, 30)),
                tx(ALICE, 1, transfer(BOB, 70)));
        assertThat(outcomes).containsExactly(new Outcome.Success<>(new TxResult(0)),
                new Outcome.Success<>(new TxResult(0)), new Outcome.Success<>(new TxResult(1)));
        assertThat(read(StateLayout.balanceKey(Keys.accountId(ALICE)))).isZero();
        assertThat(read(StateLayout.balanceKey(Keys.accountId(BOB)))).isEqualTo(100);
        assertThat(read(StateLayout.nonceKey(Keys.accountId(ALICE)))).isEqualTo(2);
        assertThat(read(StateLayout.nonceKey(Keys.accountId(ADMIN)))).isEqualTo(1);
        assertThat(read(StateLayout.SUPPLY)).isEqualTo(100);
    }

    @Test
    void aFailedPayloadChangesNothingButUsesUpItsNonce() {
        run(tx(ADMIN, 0, mint(ALICE, 10)));
        Map<Bytes, Bytes> before = new HashMap<>(state);
        List<Outcome<TxResult>> outcomes = run(tx(ALICE, 0, transfer(BOB, 11)), tx(BOB, 0, mint(BOB, 5)));
        assertThat(outcomes).extracting(LedgerTransactionTest::code)
                .containsExactly(TxFailure.INSUFFICIENT_FUNDS, TxFailure.NOT_AUTHORIZED);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Success.class));
        // Only the two nonces moved: no balance, no supply.
        before.put(StateLayout.nonceKey(Keys.accountId(ALICE)), StateLayout.encodeLong(1));
        before.put(StateLayout.nonceKey(Keys.accountId(BOB)), StateLayout.encodeLong(1));
        assertThat(state).isEqualTo(before);

        // So the sender's next transaction in the same block still runs.
        List<Outcome<TxResult>> next = run(tx(ALICE, 1, transfer(BOB, 20)), tx(ALICE, 2, transfer(BOB, 4)));
        assertThat(code(next.get(0))).isEqualTo(TxFailure.INSUFFICIENT_FUNDS);
        assertThat(next.get(1)).isEqualTo(new Outcome.Success<>(new TxResult(2)));
        assertThat(read(StateLayout.balanceKey(Keys.accountId(BOB)))).isEqualTo(4);
    }

    @Test
    void aBadNonceChangesNothingAtAll() {
        run(tx(ADMIN, 0, mint(ALICE, 10)));
        Map<Bytes, Bytes> before = new HashMap<>(state);
        List<Outcome<TxResult>> outcomes = run(tx(ALICE, 1, transfer(BOB, 1)));
        assertThat(outcomes.getFirst()).isInstanceOf(Outcome.Failure.class);
        assertThat(code(outcomes.getFirst())).isEqualTo(TxFailure.BAD_NONCE);
        assertThat(state).isEqualTo(before);
    }

    @Test
    void aStaleNonceFailsDeterministically() {
        run(tx(ADMIN, 0, mint(ALICE, 10)), tx(ALICE, 0, transfer(BOB, 1)));
        SignedTransaction replay = tx(ALICE, 0, transfer(BOB, 2));
        assertThat(run(replay)).extracting(LedgerTransactionTest::code).containsExactly(TxFailure.BAD_NONCE);
        assertThat(run(replay)).extracting(LedgerTransactionTest::code).containsExactly(TxFailure.BAD_NONCE);
        assertThat(read(StateLayout.nonceKey(Keys.accountId(ALICE)))).isEqualTo(1);
    }

    @Test
    void theSupplyCannotOverflow() {
        List<Outcome<TxResult>> outcomes = run(tx(ADMIN, 0, mint(ALICE, Long.MAX_VALUE)), tx(ADMIN, 1, mint(BOB, 1)));
        assertThat(outcomes.get(0).succeeded()).isTrue();
        assertThat(code(outcomes.get(1))).isEqualTo(TxFailure.SUPPLY_OVERFLOW);
    }

    @Test
    void parallelExecutionMatchesSequential() {
        Random random = new Random(42);
        List<KeyPair> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            users.add(Keys.fromSeed(BlockTest.seed(20 + i)));
        }
        List<SignedTransaction> txs = new ArrayList<>();
        long adminNonce = 0;
        long[] nonces = new long[users.size()];
        for (KeyPair user : users) {
            txs.add(tx(ADMIN, adminNonce++, mint(user, 1000)));
        }
        for (int i = 0; i < 300; i++) {
            int from = random.nextInt(users.size());
            // Now and then a wrong nonce or an overdraft, so failures are part of the comparison.
            long nonce = random.nextInt(20) == 0 ? nonces[from] + 1 : nonces[from]++;
            txs.add(tx(users.get(from), nonce, transfer(users.get(random.nextInt(users.size())),
                    1 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 200))));
        }
        BlockResult<Bytes, Bytes, TxResult> sequential;
        try (BlockExecutor exec = BlockExecutor.sequential()) {
            sequential = exec.execute(block(txs, Map.of()), BaseState.empty(), StateLayout.COUNTERS);
        }
        try (BlockExecutor exec = BlockExecutor.parallel(io.pel.core.ParallelConfig.defaults(4).withAdaptive(false))) {
            BlockResult<Bytes, Bytes, TxResult> parallel = exec.execute(block(txs, Map.of()), BaseState.empty(),
                    StateLayout.COUNTERS);
            assertThat(parallel.outcomes()).isEqualTo(sequential.outcomes());
            assertThat(parallel.writeSet()).isEqualTo(sequential.writeSet());
        }
        assertThat(sequential.outcomes()).anyMatch(o -> !o.succeeded()).anyMatch(Outcome::succeeded);
    }
}
