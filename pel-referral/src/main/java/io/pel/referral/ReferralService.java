package io.pel.referral;

import io.pel.core.Outcome;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Applications;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.InOrderListener;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.NodeConfig;
import io.pel.ledger.node.StateLayout;
import io.pel.ledger.node.StateProof;
import io.pel.ledger.node.TxResult;
import io.pel.referral.ReferralState.Campaign;
import io.pel.referral.ReferralState.CodeOwner;
import io.pel.referral.ReferralState.Participant;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The referral program over a running {@link Node}: what the server and the demo call. Builds and signs calls,
 * reads committed state, serves the derived views and proves balances and rewards against the state root. Free of
 * HTTP types; thread-safe.
 *
 * <p>Nonces: {@link #submit} numbers each sender's transactions from the committed next nonce on, locally, so a
 * sender can pipeline. A call that fails in its block still uses up its nonce, so pipelined calls after it run;
 * only a call the node did not admit leaves its nonce unused, and {@link #submit} then starts the sender over
 * from the committed next nonce ({@link #resyncNonce}).
 */
public final class ReferralService {

    /** A balance with the proofs that tie it to a block's state root. */
    public record ProvenBalance(String campaign, AccountId account, long points, long credit, StateProof pointsProof,
                                StateProof creditProof) {
        /** Both proofs hold and show exactly these amounts. */
        public boolean verify() {
            return verifyCounter(pointsProof, ReferralKeys.points(campaign, account), points)
                    && verifyCounter(creditProof, ReferralKeys.credit(campaign, account), credit);
        }
    }

    /** A reward record with the proof that it is in the state at {@code proof.height()}. */
    public record ProvenReward(RewardRecord reward, StateProof proof) {
        /** The proof holds, is for this reward's key, and its value is this record's encoding. */
        public boolean verify() {
            return proof.verify()
                    && proof.key().equals(ReferralKeys.ledgerKey(ReferralKeys.reward(reward.to(), reward.id())))
                    && proof.value().equals(Optional.of(ReferralCodec.encodeReward(reward)));
        }
    }

    private final Node node;
    private final ReferralViews views;
    private final ConcurrentHashMap<AccountId, Long> nextNonce = new ConcurrentHashMap<>();

    public ReferralService(Node node, ReferralViews views) {
        this.node = Objects.requireNonNull(node, "node");
        this.views = Objects.requireNonNull(views, "views");
    }

    /**
     * Opens a node that runs the referral program and feeds {@code views}; the views are first rebuilt from the
     * blocks already on disk.
     */
    public static ReferralService open(Path directory, NodeConfig config, ReferralOptions options) {
        ReferralViews views = new ReferralViews();
        InOrderListener listener = new InOrderListener(() -> views.height() + 1, views);
        Node node = Node.open(directory, config, Applications.of(new ReferralApp(options)), listener);
        listener.attach(node);
        listener.catchUp();
        return new ReferralService(node, views);
    }

    public Node node() {
        return node;
    }

    public ReferralViews views() {
        return views;
    }

    // ---- calls ----

    /** {@code call} signed by {@code keys} with {@code nonce}, for this node's chain. */
    public SignedTransaction sign(KeyPair keys, long nonce, ReferralCall call) {
        return SignedTransaction.sign(keys, node.config().chainId(), nonce,
                new Payload.Call(ReferralApp.ID, ReferralCodec.encode(call)));
    }

    /** Signs {@code call} with the sender's next local nonce and submits it. */
    public Admission submit(KeyPair keys, ReferralCall call) {
        AccountId sender = Keys.accountId(keys);
        long nonce = nextNonce.compute(sender, (a, n) -> n == null ? node.nonce(a) + 1 : n + 1) - 1;
        Admission admission = node.submit(sign(keys, nonce, call));
        if (!(admission instanceof Admission.Accepted)) {
            resyncNonce(sender);
        }
        return admission;
    }

    /** Forgets the local nonce of {@code sender}: its next call uses the committed next nonce. */
    public void resyncNonce(AccountId sender) {
        nextNonce.remove(sender);
    }

    /** The events a committed call produced; empty for a failed one. */
    public static List<ReferralEvent> events(Committed committed) {
        if (committed.outcome() instanceof Outcome.Success<TxResult> s && s.output().succeeded()) {
            try {
                return ReferralEvents.decode(s.output().output());
            } catch (EncodingException e) {
                throw new IllegalStateException("a committed referral output does not decode: " + e, e);
            }
        }
        return List.of();
    }

    // ---- committed state ----

    public Optional<Campaign> campaign(String id) {
        return read(ReferralKeys.campaign(id)).map(b -> decode(b, ReferralCodec::decodeCampaign));
    }

    public Optional<Participant> participant(String campaign, AccountId account) {
        return read(ReferralKeys.participant(campaign, account)).map(b -> decode(b, ReferralCodec::decodeParticipant));
    }

    /** Who owns a referral code: what {@code /r/<code>} resolves. */
    public Optional<CodeOwner> code(String code) {
        try {
            ReferralCode.check(code);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return read(ReferralKeys.code(code)).map(b -> decode(b, ReferralCodec::decodeCodeOwner));
    }

    public Optional<RewardRecord> reward(RewardId id) {
        return read(ReferralKeys.rewardIndex(id))
                .flatMap(owner -> read(ReferralKeys.reward(AccountId.of(owner.toByteArray()), id)))
                .map(b -> decode(b, ReferralCodec::decodeReward));
    }

    public long points(String campaign, AccountId account) {
        return StateLayout.decodeLong(read(ReferralKeys.points(campaign, account)).orElse(null));
    }

    public long credit(String campaign, AccountId account) {
        return StateLayout.decodeLong(read(ReferralKeys.credit(campaign, account)).orElse(null));
    }

    /** The campaign's reserved budget: rewards granted and not taken back. */
    public long spent(String campaign) {
        return StateLayout.decodeLong(read(ReferralKeys.spend(campaign)).orElse(null));
    }

    // ---- proofs ----

    /**
     * The account's points and credit in {@code campaign}, each proven. The two proofs are taken one after the
     * other, so they may name consecutive blocks; each is checked against its own root.
     */
    public ProvenBalance provenBalance(String campaign, AccountId account) {
        StateProof points = node.proof(ReferralKeys.ledgerKey(ReferralKeys.points(campaign, account)));
        StateProof credit = node.proof(ReferralKeys.ledgerKey(ReferralKeys.credit(campaign, account)));
        return new ProvenBalance(campaign, account, StateLayout.decodeLong(points.value().orElse(null)),
                StateLayout.decodeLong(credit.value().orElse(null)), points, credit);
    }

    /** Every reward {@code account} was granted (from the views' index), each with its proof. */
    public List<ProvenReward> provenRewards(AccountId account) {
        List<ProvenReward> out = new ArrayList<>();
        for (RewardId id : views.rewardIds(account)) {
            StateProof proof = node.proof(ReferralKeys.ledgerKey(ReferralKeys.reward(account, id)));
            proof.value().ifPresent(v -> out.add(new ProvenReward(decode(v, ReferralCodec::decodeReward), proof)));
        }
        return out;
    }

    /** Whether {@code proof} shows the counter at {@code key} (a program key) holding {@code expected}. */
    public static boolean verifyCounter(StateProof proof, Bytes key, long expected) {
        return proof.verify() && proof.key().equals(ReferralKeys.ledgerKey(key))
                && StateLayout.decodeLong(proof.value().orElse(null)) == expected;
    }

    private Optional<Bytes> read(Bytes key) {
        return node.state(ReferralKeys.ledgerKey(key));
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(Bytes b) throws EncodingException;
    }

    private static <T> T decode(Bytes b, Decoder<T> d) {
        try {
            return d.decode(b);
        } catch (EncodingException e) {
            throw new IllegalStateException("committed referral state does not decode: " + e, e);
        }
    }
}
