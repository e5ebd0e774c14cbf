package io.pel.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.Outcome;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.BlockInfo;
import io.pel.ledger.node.StateLayout;
import io.pel.referral.ReferralBlocks.Item;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An engine-level chain for tests: blocks of referral calls run on an executor over an in-memory state. */
final class TestChain implements AutoCloseable {

    static final KeyPair ADMIN = ReferralWorkload.key("admin");
    static final KeyPair REPORTER = ReferralWorkload.key("reporter");

    final Map<Bytes, Bytes> state = new HashMap<>();
    final ReferralApp app;
    final BlockExecutor executor;
    final ReferralViews views = new ReferralViews();
    long height;
    long time = 1_000_000;

    TestChain(BlockExecutor executor, ReferralOptions options) {
        this.executor = executor;
        this.app = new ReferralApp(options);
    }

    TestChain() {
        this(BlockExecutor.sequential(), ReferralOptions.DEFAULT);
    }

    static AccountId id(KeyPair k) {
        return Keys.accountId(k);
    }

    static KeyPair key(String label) {
        return ReferralWorkload.key(label);
    }

    BlockResult<Bytes, Bytes, Bytes> execute(List<Item> items) {
        BlockInfo info = new BlockInfo(height, time);
        var txs = ReferralBlocks.transactions(app, items, Optional.of(id(ADMIN)), info);
        Map<Bytes, Bytes> snapshot = Map.copyOf(state);
        return executor.execute(txs, BaseState.of(snapshot), StateLayout.COUNTERS);
    }

    /** Runs a block, applies it, feeds the views, advances height and time (1 s per block). */
    List<Outcome<Bytes>> block(List<Item> items) {
        BlockResult<Bytes, Bytes, Bytes> r = execute(items);
        apply(r);
        return r.outcomes();
    }

    void apply(BlockResult<Bytes, Bytes, Bytes> r) {
        r.writeSet().forEach((k, v) -> {
            if (v == null) {
                state.remove(k);
            } else {
                state.put(k, v);
            }
        });
        views.fold(height, time, outputs(r.outcomes()));
        height++;
        time += 1000;
    }

    static List<Bytes> outputs(List<Outcome<Bytes>> outcomes) {
        List<Bytes> out = new ArrayList<>();
        for (Outcome<Bytes> o : outcomes) {
            out.add(o instanceof Outcome.Success<Bytes> s ? s.output() : null);
        }
        return out;
    }

    Outcome<Bytes> run(KeyPair sender, ReferralCall call) {
        return block(List.of(new Item(sender, call))).get(0);
    }

    List<ReferralEvent> ok(KeyPair sender, ReferralCall call) {
        return events(run(sender, call));
    }

    static List<ReferralEvent> events(Outcome<Bytes> o) {
        assertThat(o).as("outcome").isInstanceOf(Outcome.Success.class);
        try {
            return ReferralEvents.decode(((Outcome.Success<Bytes>) o).output());
        } catch (EncodingException e) {
            throw new AssertionError(e);
        }
    }

    String fail(KeyPair sender, ReferralCall call) {
        return code(run(sender, call));
    }

    static String code(Outcome<Bytes> o) {
        assertThat(o).as("outcome").isInstanceOf(Outcome.Failure.class);
        String message = ((Outcome.Failure<Bytes>) o).message();
        return message.substring(0, message.indexOf(':'));
    }

    void advance(long millis) {
        time += millis;
    }

    long counter(Bytes key) {
        return StateLayout.decodeLong(state.get(ReferralKeys.ledgerKey(key)));
    }

    Bytes value(Bytes key) {
        return state.get(ReferralKeys.ledgerKey(key));
    }

    RewardRecord reward(RewardId id) {
        Bytes owner = value(ReferralKeys.rewardIndex(id));
        assertThat(owner).as("reward index of " + id).isNotNull();
        try {
            return ReferralCodec.decodeReward(value(ReferralKeys.reward(AccountId.of(owner.toByteArray()), id)));
        } catch (EncodingException e) {
            throw new AssertionError(e);
        }
    }

    long points(String campaign, KeyPair who) {
        return counter(ReferralKeys.points(campaign, id(who)));
    }

    long credit(String campaign, KeyPair who) {
        return counter(ReferralKeys.credit(campaign, id(who)));
    }

    // ---- building blocks of scenarios ----

    void campaign(String id, CampaignRules rules) {
        ok(ADMIN, new ReferralCall.CreateCampaign(id, rules));
        ok(ADMIN, new ReferralCall.AuthorizeReporter(id, id(REPORTER)));
    }

    String join(String campaign, KeyPair who) {
        List<ReferralEvent> events = ok(who, new ReferralCall.Join(campaign, "email"));
        return ((ReferralEvent.Joined) events.get(0)).code();
    }

    private int seq;

    ReferralCall.SignUp signUp(String campaign, String code, AccountId referee) {
        int n = seq++;
        return new ReferralCall.SignUp(campaign, code, "social", referee, Hash.sha256(Bytes.utf8("fp" + n)),
                Hash.sha256(Bytes.utf8("email" + n)), "example.org", "signup-" + n);
    }

    ReferralCall.Qualify purchase(String campaign, AccountId referee, long amount) {
        return new ReferralCall.Qualify(campaign, referee, "purchase", amount, "purchase-" + seq++);
    }

    static List<ReferralEvent.RewardGranted> grants(List<ReferralEvent> events) {
        return events.stream().filter(e -> e instanceof ReferralEvent.RewardGranted)
                .map(e -> (ReferralEvent.RewardGranted) e).toList();
    }

    @Override
    public void close() {
        executor.close();
    }
}
