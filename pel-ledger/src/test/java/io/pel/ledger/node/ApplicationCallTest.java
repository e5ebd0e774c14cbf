package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.Outcome;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application calls through a real node: admission, execution, receipts, listeners, replay. */
class ApplicationCallTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ADMIN = Keys.fromSeed(BlockTest.seed(9));
    private static final KeyPair ALICE = Keys.fromSeed(BlockTest.seed(1));
    private static final KeyPair BOB = Keys.fromSeed(BlockTest.seed(2));
    private static final long TIMEOUT_S = 20;

    @TempDir
    Path dir;

    /**
     * A tally: body = op:u8 amount:i64. Op 1 adds the amount to "total" (a delta counter) and answers the block's
     * timestamp; op 2 writes "bal/" + the sender (which must land under the application's prefix); op 3 writes,
     * then fails with TOO_BIG. Any other body does not decode.
     */
    static final class Tally implements Application {
        static final int ID = 7;

        @Override
        public int id() {
            return ID;
        }

        @Override
        public String name() {
            return "tally";
        }

        @Override
        public Call decode(Bytes body) throws EncodingException {
            if (body.length() != 9 || body.get(0) < 1 || body.get(0) > 3) {
                throw new EncodingException(EncodingError.INVALID_VALUE, "not a tally call");
            }
            int op = body.get(0);
            long amount = ByteBuffer.wrap(body.toByteArray(), 1, 8).getLong();
            return context -> switch (op) {
                case 1 -> {
                    context.state().add(Bytes.utf8("total"), amount);
                    yield StateLayout.encodeLong(context.block().timestampMillis());
                }
                case 2 -> {
                    context.state().write(StateLayout.balanceKey(context.sender()), StateLayout.encodeLong(amount));
                    yield Bytes.of();
                }
                default -> {
                    // Writes first, then fails: the overlay must drop the write.
                    context.state().add(Bytes.utf8("total"), amount);
                    context.state().write(Bytes.utf8("scratch"), Bytes.utf8("x"));
                    throw new TxFailure("TOO_BIG", amount + " is too big");
                }
            };
        }
    }

    private static Bytes body(int op, long amount) {
        return Bytes.of(ByteBuffer.allocate(9).put((byte) op).putLong(amount).array());
    }

    private static SignedTransaction call(KeyPair from, long nonce, int app, Bytes body) {
        return SignedTransaction.sign(from, CHAIN, nonce, new Payload.Call(app, body));
    }

    private static NodeConfig config() {
        return NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2).withBlockMaxTxs(50)
                .withBlockInterval(Duration.ofMillis(10)).withTrace(true);
    }

    private static Committed commit(Node node, SignedTransaction tx) throws Exception {
        Admission admission = node.submit(tx.encode());
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        return ((Admission.Accepted) admission).committed().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static Rejection.Code rejection(Node node, SignedTransaction tx) {
        Admission admission = node.submit(tx.encode());
        assertThat(admission).isInstanceOf(Admission.Rejected.class);
        return ((Admission.Rejected) admission).rejection().code();
    }

    @Test
    void callsRunWithTheirBlockAndKeepToTheirOwnKeys() throws Exception {
        List<CommittedBlock> seen = new CopyOnWriteArrayList<>();
        try (Node node = Node.open(dir, config(), Applications.of(new Tally()), seen::add)) {
            commit(node, SignedTransaction.sign(ADMIN, CHAIN, 0, new Payload.Mint(Keys.accountId(ALICE), 10)));
            List<Admission> batch = node.submitAll(List.of(call(ALICE, 0, Tally.ID, body(1, 5)).encode(),
                    call(ALICE, 1, Tally.ID, body(1, 6)).encode(), call(BOB, 0, Tally.ID, body(1, 7)).encode()));
            List<Committed> done = new ArrayList<>();
            for (Admission a : batch) {
                done.add(((Admission.Accepted) a).committed().get(TIMEOUT_S, TimeUnit.SECONDS));
            }
            for (Committed c : done) {
                long timestamp = node.block(c.height()).orElseThrow().header().timestampMillis();
                assertThat(c.outcome()).isEqualTo(new Outcome.Success<>(
                        new TxResult(((Outcome.Success<TxResult>) c.outcome()).output().nonce(),
                                StateLayout.encodeLong(timestamp))));
            }
            Bytes total = CallContext.stateKey(Tally.ID, Bytes.utf8("total"));
            assertThat(StateLayout.decodeLong(node.state(total).orElseThrow())).isEqualTo(18);
            StateProof proof = node.proof(total);
            assertThat(proof.verify()).isTrue();

            // An application writing "bal/<alice>" writes under its own prefix: Alice's balance is untouched.
            commit(node, call(ALICE, 2, Tally.ID, body(2, 1_000_000)));
            assertThat(node.balance(Keys.accountId(ALICE))).isEqualTo(10);
            assertThat(node.state(CallContext.stateKey(Tally.ID, StateLayout.balanceKey(Keys.accountId(ALICE)))))
                    .contains(StateLayout.encodeLong(1_000_000));

            // Every committed block reached the listener, with the outcomes its submitters got, and a trace.
            long height = node.height();
            assertThat(seen).extracting(CommittedBlock::height).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(0, height).boxed().toList());
            assertThat(seen).allSatisfy(b -> {
                assertThat(b.timings()).isPresent();
                assertThat(b.trace()).isNotEmpty();
            });
            for (Committed c : done) {
                assertThat(seen.get((int) c.height()).outcomes().get(c.index())).isEqualTo(c.outcome());
            }
        }
    }

    @Test
    void aFailedCallKeepsItsCodeUsesItsNonceAndWritesNothing() throws Exception {
        try (Node node = Node.open(dir, config(), Applications.of(new Tally()), b -> { })) {
            commit(node, call(ALICE, 0, Tally.ID, body(1, 5)));
            Committed failed = commit(node, call(ALICE, 1, Tally.ID, body(3, 1)));
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.failureCode()).contains("TOO_BIG");
            assertThat(failed.outcome()).isEqualTo(new Outcome.Success<>(new TxResult(1, Bytes.of(),
                    java.util.Optional.of(new TxResult.Error("TOO_BIG", "1 is too big")))));
            assertThat(node.nonce(Keys.accountId(ALICE))).isEqualTo(2);
            assertThat(StateLayout.decodeLong(node.state(CallContext.stateKey(Tally.ID, Bytes.utf8("total")))
                    .orElseThrow())).isEqualTo(5);
            assertThat(node.state(CallContext.stateKey(Tally.ID, Bytes.utf8("scratch")))).isEmpty();
            assertThat(node.committed(failed.txHash())).contains(failed);
            // A call after it in the same sender's sequence runs.
            assertThat(commit(node, call(ALICE, 2, Tally.ID, body(1, 1))).succeeded()).isTrue();
        }
    }

    @Test
    void callsNoApplicationCanReadAreRejectedAndChangeNothing() throws Exception {
        try (Node node = Node.open(dir, config(), Applications.of(new Tally()), b -> { })) {
            commit(node, call(ALICE, 0, Tally.ID, body(1, 1)));
            Hash root = node.stateRoot();
            long height = node.height();
            assertThat(rejection(node, call(ALICE, 1, 8, body(1, 1)))).isEqualTo(Rejection.Code.BAD_CALL);
            assertThat(rejection(node, call(ALICE, 1, Tally.ID, Bytes.utf8("nonsense"))))
                    .isEqualTo(Rejection.Code.BAD_CALL);
            assertThat(node.submitAll(List.of(call(ALICE, 1, Tally.ID, body(9, 1)).encode())).getFirst())
                    .isInstanceOf(Admission.Rejected.class);
            assertThat(node.pending()).isZero();
            assertThat(node.stateRoot()).isEqualTo(root);
            assertThat(node.height()).isEqualTo(height);
        }
    }

    @Test
    void receiptsSurviveARestartAndReplayFeedsTheSameBlocks() throws Exception {
        List<CommittedBlock> live = new CopyOnWriteArrayList<>();
        List<Committed> committed = new ArrayList<>();
        try (Node node = Node.open(dir, config(), Applications.of(new Tally()), live::add)) {
            long aliceNonce = 0;
            for (int i = 0; i < 5; i++) {
                Committed c = commit(node, call(ALICE, aliceNonce, Tally.ID, body(i % 2 == 0 ? 1 : 3, i)));
                aliceNonce++; // a failed call uses up its nonce too
                committed.add(c);
                committed.add(commit(node, call(BOB, i, Tally.ID, body(1, 100 + i))));
            }
            assertThat(committed).filteredOn(c -> !c.succeeded()).hasSize(2);
        }
        try (Node node = Node.open(dir, config(), Applications.of(new Tally()), b -> { })) {
            for (Committed c : committed) {
                assertThat(node.committed(c.txHash())).contains(c);
            }
            List<CommittedBlock> replayed = new ArrayList<>();
            assertThat(node.replayCommitted(0, replayed::add)).isEqualTo(node.height());
            assertThat(replayed).hasSameSizeAs(live);
            for (int i = 0; i < live.size(); i++) {
                assertThat(replayed.get(i).block()).isEqualTo(live.get(i).block());
                assertThat(replayed.get(i).outcomes()).isEqualTo(live.get(i).outcomes());
                assertThat(replayed.get(i).timings()).isEmpty();
            }
            List<CommittedBlock> tail = new ArrayList<>();
            node.replayCommitted(node.height(), tail::add);
            assertThat(tail).hasSize(1);
        }
        // The audit re-runs calls only with the applications the node ran.
        assertThat(ChainAudit.replay(dir, Applications.of(new Tally()), 0, OptionalLong.empty(), 2).ok()).isTrue();
        assertThat(ChainAudit.replay(dir, 0, OptionalLong.empty(), 2).ok()).isFalse();
        assertThat(ChainAudit.verify(dir).ok()).isTrue();
    }

    @Test
    void applicationsMustHaveDistinctIdsInRange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Applications.of(new Tally(), new Tally()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share id 7");
        assertThat(Applications.of(new Tally()).get(Tally.ID)).isPresent();
        assertThat(Applications.none().get(Tally.ID)).isEmpty();
    }
}
