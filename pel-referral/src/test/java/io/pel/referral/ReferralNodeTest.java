package io.pel.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.NodeConfig;
import io.pel.ledger.node.StateProof;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.ReferralBlocks.Item;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The referral program on a real node: signed calls, committed state, proofs, and views rebuilt from the chain. */
class ReferralNodeTest {

    private static final ChainId CHAIN = ChainId.of("pel-referral-test");
    private static final KeyPair ADMIN = TestChain.ADMIN;
    private static final KeyPair REPORTER = TestChain.REPORTER;
    private static final KeyPair ALICE = TestChain.key("alice");
    private static final KeyPair BOB = TestChain.key("bob");
    /** A hang detector only. */
    private static final long TIMEOUT_S = 30;

    @TempDir
    Path dir;

    private static NodeConfig config() {
        return NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2).withBlockMaxTxs(200)
                .withBlockInterval(Duration.ofMillis(10));
    }

    private static Committed commit(Admission admission) throws Exception {
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        return ((Admission.Accepted) admission).committed().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static List<ReferralEvent> ok(ReferralService service, KeyPair keys, ReferralCall call) throws Exception {
        Committed c = commit(service.submit(keys, call));
        assertThat(c.succeeded()).as("%s: %s", call, c.outcome()).isTrue();
        return ReferralService.events(c);
    }

    @Test
    void aRewardAndABalanceAreProvableAgainstTheStateRootAndTamperingIsCaught() throws Exception {
        ReferralService service = ReferralService.open(dir, config(), ReferralOptions.DEFAULT);
        try (var node = service.node()) {
            ok(service, ADMIN, new ReferralCall.CreateCampaign("launch", CampaignRules.simple(Reward.points(500), 10_000)));
            ok(service, ADMIN, new ReferralCall.AuthorizeReporter("launch", Keys.accountId(REPORTER)));
            String code = ((ReferralEvent.Joined) ok(service, ALICE, new ReferralCall.Join("launch", "email")).get(0))
                    .code();
            assertThat(service.code(code)).contains(new ReferralState.CodeOwner("launch", Keys.accountId(ALICE)));
            ok(service, REPORTER, new ReferralCall.SignUp("launch", code, "social", Keys.accountId(BOB),
                    Hash.sha256(Bytes.utf8("fp")), Hash.sha256(Bytes.utf8("bob@x")), "example.org", "evt-1"));

            AccountId alice = Keys.accountId(ALICE);
            assertThat(service.points("launch", alice)).isEqualTo(500);
            ReferralService.ProvenBalance balance = service.provenBalance("launch", alice);
            assertThat(balance.points()).isEqualTo(500);
            assertThat(balance.verify()).isTrue();
            assertThat(balance.pointsProof().stateRoot()).isEqualTo(node.stateRoot());

            List<ReferralService.ProvenReward> history = service.provenRewards(alice);
            assertThat(history).singleElement().satisfies(r -> {
                assertThat(r.verify()).isTrue();
                assertThat(r.reward().status()).isEqualTo(RewardStatus.PAID);
                assertThat(r.reward().referee()).isEqualTo(Keys.accountId(BOB));
            });

            // Tampering: a higher balance, or a reward record with another amount, fails against the same root.
            StateProof p = balance.pointsProof();
            StateProof inflated = new StateProof(p.height(), p.stateRoot(), p.key(),
                    Optional.of(io.pel.ledger.node.StateLayout.encodeLong(5000)), p.proof());
            assertThat(inflated.verify()).isFalse();
            assertThat(ReferralService.verifyCounter(p, ReferralKeys.points("launch", alice), 5000)).isFalse();
            RewardRecord real = history.get(0).reward();
            RewardRecord forged = new RewardRecord(real.id(), real.campaign(), real.rulesVersion(), real.to(),
                    real.source(), real.level(), Reward.points(50_000), real.referee(), real.eventId(), real.status(),
                    real.grantedAt(), real.holdUntil(), real.flag(), real.note());
            StateProof rp = history.get(0).proof();
            assertThat(new ReferralService.ProvenReward(forged, new StateProof(rp.height(), rp.stateRoot(), rp.key(),
                    Optional.of(ReferralCodec.encodeReward(forged)), rp.proof())).verify()).isFalse();
        }
    }

    @Test
    void workloadThroughANodeGivesViewsEqualToViewsRebuiltFromTheChainAndAfterReopen() throws Exception {
        ReferralWorkload workload = new ReferralWorkload(new ReferralWorkload.Config(11, 40, 6, 1.1, 0.1), ADMIN);
        Map<String, ReferralViews.CampaignSnapshot> live;
        long height;
        ReferralService service = ReferralService.open(dir, config(), ReferralOptions.DEFAULT);
        try (var node = service.node()) {
            Map<AccountId, String> codes = new HashMap<>();
            for (Committed c : submitInRounds(service, workload.setup())) {
                for (ReferralEvent e : ReferralService.events(c)) {
                    if (e instanceof ReferralEvent.Joined j) {
                        codes.put(j.participant(), j.code());
                    }
                }
            }
            workload.useCodes(codes);
            for (int b = 0; b < 4; b++) {
                submitInRounds(service, workload.nextBlock(40));
            }
            height = node.height();
            assertThat(service.views().height()).isEqualTo(height);
            live = service.views().snapshot();
            assertThat(live.get(ReferralWorkload.CAMPAIGN).funnel().total().signUps()).isPositive();

            ReferralViews rebuilt = new ReferralViews();
            node.replayCommitted(0, rebuilt);
            assertThat(rebuilt.snapshot()).isEqualTo(live);
        }
        // Reopened, the service rebuilds its views from the blocks on disk.
        ReferralService reopened = ReferralService.open(dir, config(), ReferralOptions.DEFAULT);
        try (var node = reopened.node()) {
            assertThat(node.height()).isEqualTo(height);
            assertThat(reopened.views().snapshot()).isEqualTo(live);
        }
    }

    /**
     * Submits all items pipelined (a sender's calls back to back, up to the nonce window), then waits for each:
     * a call that fails in its block uses up its nonce, so the calls after it still run.
     */
    private static List<Committed> submitInRounds(ReferralService service, List<Item> items) throws Exception {
        List<Committed> all = new ArrayList<>();
        int window = NodeConfig.DEFAULT_NONCE_WINDOW / 2;
        for (int from = 0; from < items.size(); from += window) {
            List<Item> round = items.subList(from, Math.min(items.size(), from + window));
            List<Admission> admissions = new ArrayList<>();
            for (Item item : round) {
                admissions.add(service.submit(item.sender(), item.call()));
            }
            for (Admission admission : admissions) {
                Committed c = commit(admission);
                assertThat(c.failureCode()).isNotEqualTo(java.util.Optional.of("BAD_NONCE"));
                all.add(c);
            }
        }
        return all;
    }
}
