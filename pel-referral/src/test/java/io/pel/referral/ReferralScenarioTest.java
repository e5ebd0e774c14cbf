package io.pel.referral;

import static io.pel.referral.TestChain.ADMIN;
import static io.pel.referral.TestChain.REPORTER;
import static io.pel.referral.TestChain.grants;
import static io.pel.referral.TestChain.id;
import static io.pel.referral.TestChain.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.BlockExecutor;
import io.pel.core.Outcome;
import io.pel.core.ParallelConfig;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.CampaignRules.Tier;
import io.pel.referral.CampaignRules.Trigger;
import io.pel.referral.ReferralBlocks.Item;
import io.pel.referral.ReferralEvent.RewardGranted;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End-to-end referral scenarios on the engine: each campaign shape, and each way a reward moves. */
class ReferralScenarioTest {

    private static final String C = "spring";
    private static final KeyPair ALICE = key("alice");
    private static final KeyPair BOB = key("bob");
    private static final KeyPair CAROL = key("carol");
    private static final KeyPair DAN = key("dan");
    private static final Trigger PURCHASE = new Trigger.Qualifying("purchase", 10, false);

    private final TestChain chain = new TestChain();

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void dropboxStyleOneSidedRewardsTheReferrerOnSignUp() {
        chain.campaign(C, CampaignRules.simple(Reward.perk("500 MB storage", 1), 1000));
        String code = chain.join(C, ALICE);
        List<ReferralEvent> events = chain.ok(REPORTER, chain.signUp(C, code, id(BOB)));

        List<RewardGranted> grants = grants(events);
        assertThat(grants).hasSize(1);
        assertThat(grants.get(0).to()).isEqualTo(id(ALICE));
        assertThat(grants.get(0).status()).isEqualTo(RewardStatus.PAID);
        assertThat(chain.counter(ReferralKeys.perk(C, id(ALICE), "500 MB storage"))).isEqualTo(1);
        assertThat(chain.counter(ReferralKeys.perk(C, id(BOB), "500 MB storage"))).isZero();
        assertThat(chain.counter(ReferralKeys.spend(C))).isEqualTo(1);
        assertThat(chain.reward(grants.get(0).reward()).source()).isEqualTo(RewardSource.REFERRER);
    }

    @Test
    void slackStyleTwoSidedRewardsBothSidesOnTheQualifyingEventOnly() {
        chain.campaign(C, CampaignRules.simple(Reward.credit(800), 100_000).withTrigger(PURCHASE)
                .withRefereeReward(Reward.credit(800)));
        String code = chain.join(C, ALICE);
        assertThat(grants(chain.ok(REPORTER, chain.signUp(C, code, id(BOB))))).isEmpty();
        List<ReferralEvent> events = chain.ok(REPORTER, chain.purchase(C, id(BOB), 25));

        assertThat(grants(events)).extracting(RewardGranted::to).containsExactly(id(ALICE), id(BOB));
        assertThat(chain.credit(C, ALICE)).isEqualTo(800);
        assertThat(chain.credit(C, BOB)).isEqualTo(800);
        // Below the minimum, and under another event name: nothing.
        List<ReferralEvent> small = chain.ok(REPORTER, chain.purchase(C, id(BOB), 9));
        assertThat(small).containsExactly(new ReferralEvent.EventIgnored(C, id(BOB),
                ReferralEvent.IgnoredReason.BELOW_MINIMUM));
        List<ReferralEvent> other = chain.ok(REPORTER, new ReferralCall.Qualify(C, id(BOB), "visit", 50, "v-1"));
        assertThat(grants(other)).isEmpty();
        assertThat(chain.credit(C, ALICE)).isEqualTo(800);
    }

    @Test
    void firstPurchaseOnlyConvertsOnce() {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 100_000)
                .withTrigger(new Trigger.Qualifying("purchase", 0, true)));
        String code = chain.join(C, ALICE);
        chain.ok(REPORTER, chain.signUp(C, code, id(BOB)));
        chain.ok(REPORTER, chain.purchase(C, id(BOB), 20));
        List<ReferralEvent> second = chain.ok(REPORTER, chain.purchase(C, id(BOB), 20));
        assertThat(second).containsExactly(new ReferralEvent.EventIgnored(C, id(BOB),
                ReferralEvent.IgnoredReason.ALREADY_CONVERTED));
        assertThat(chain.points(C, ALICE)).isEqualTo(100);
    }

    @Test
    void tieredMilestonesAreGrantedExactlyOnceEvenWhenCrossedInsideOneBlock() {
        chain.campaign(C, CampaignRules.simple(Reward.points(10), 1_000_000).withTiers(List.of(
                new Tier(2, Reward.points(100), "bronze", "starter"),
                new Tier(4, Reward.points(1000), "silver", "connector"))));
        String code = chain.join(C, ALICE);
        List<Item> block = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            block.add(new Item(REPORTER, chain.signUp(C, code, id(key("referee" + i)))));
        }
        List<Outcome<Bytes>> outcomes = chain.block(block);

        List<ReferralEvent.MilestoneReached> reached = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            for (ReferralEvent e : TestChain.events(outcomes.get(i))) {
                if (e instanceof ReferralEvent.MilestoneReached m) {
                    reached.add(m);
                    // Reached by the conversion that is exactly the tier's count.
                    assertThat(i + 1).isEqualTo(m.tier() == 0 ? 2 : 4);
                }
            }
        }
        assertThat(reached).extracting(ReferralEvent.MilestoneReached::badge).containsExactly("starter", "connector");
        assertThat(chain.points(C, ALICE)).isEqualTo(6 * 10 + 100 + 1000);
        assertThat(chain.counter(ReferralKeys.referrals(C, id(ALICE)))).isEqualTo(6);
        assertThat(chain.views.badges(C, id(ALICE))).containsExactly("starter", "connector");
    }

    @Test
    void tiersLoweredBelowAReferrersCountAreGrantedAFewPerConversionAndTheOutputFitsAReceipt() throws Exception {
        String longName = "x".repeat(Names.MAX_CAMPAIGN_ID);
        String perk = "p".repeat(Names.MAX_PERK);
        List<Tier> high = new ArrayList<>();
        for (int i = 0; i < CampaignRules.MAX_TIERS; i++) {
            high.add(new Tier(100 + i, Reward.NONE, "far", "far"));
        }
        chain.campaign(longName, CampaignRules.simple(Reward.perk(perk, 1), 1_000_000)
                .withTrigger(new Trigger.Qualifying("purchase", 0, false)).withRefereeReward(Reward.perk(perk, 1))
                .withTiers(high));
        String code = chain.join(longName, ALICE);
        for (int i = 0; i < 9; i++) {
            AccountId referee = id(key("t" + i));
            chain.ok(REPORTER, chain.signUp(longName, code, referee));
            chain.ok(REPORTER, chain.purchase(longName, referee, 1));
        }
        List<Tier> tiers = new ArrayList<>();
        for (int i = 1; i <= CampaignRules.MAX_TIERS; i++) {
            tiers.add(new Tier(i, Reward.perk(perk, 1), "t".repeat(32), "b".repeat(32)));
        }
        chain.ok(ADMIN, new ReferralCall.UpdateCampaign(longName, CampaignRules.simple(Reward.perk(perk, 1), 1_000_000)
                .withTrigger(new Trigger.Qualifying("purchase", 0, false)).withRefereeReward(Reward.perk(perk, 1))
                .withTiers(tiers)));
        int milestones = 0;
        for (int i = 0; i < 4; i++) {
            AccountId referee = id(key("u" + i));
            chain.ok(REPORTER, chain.signUp(longName, code, referee));
            Outcome<Bytes> o = chain.run(REPORTER, chain.purchase(longName, referee, 1));
            long reached = TestChain.events(o).stream().filter(e -> e instanceof ReferralEvent.MilestoneReached).count();
            assertThat(reached).isLessThanOrEqualTo(ReferralProgram.MAX_MILESTONES_PER_CONVERSION);
            assertThat(((Outcome.Success<Bytes>) o).output().length())
                    .isLessThanOrEqualTo(io.pel.ledger.node.TxResult.MAX_OUTPUT_BYTES);
            milestones += (int) reached;
        }
        assertThat(milestones).isEqualTo(CampaignRules.MAX_TIERS);
        assertThat(chain.counter(ReferralKeys.referrals(longName, id(ALICE)))).isEqualTo(13);
        assertThat(chain.views.badges(longName, id(ALICE))).hasSize(CampaignRules.MAX_TIERS);
    }

    @Test
    void threeLevelSharesDecayUpTheChain() {
        chain.campaign(C, CampaignRules.simple(Reward.points(1000), 1_000_000).withTrigger(PURCHASE)
                .withShares(List.of(1600, 800)));
        // dan → carol → alice → bob: dan referred carol, carol referred alice, alice refers bob.
        String danCode = chain.join(C, DAN);
        chain.ok(REPORTER, chain.signUp(C, danCode, id(CAROL)));
        String carolCode = chain.join(C, CAROL);
        chain.ok(REPORTER, chain.signUp(C, carolCode, id(ALICE)));
        String aliceCode = chain.join(C, ALICE);
        chain.ok(REPORTER, chain.signUp(C, aliceCode, id(BOB)));

        List<RewardGranted> grants = grants(chain.ok(REPORTER, chain.purchase(C, id(BOB), 50)));
        assertThat(grants).extracting(RewardGranted::to, RewardGranted::level, g -> g.value().amount())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id(ALICE), 0, 1000L),
                        org.assertj.core.groups.Tuple.tuple(id(CAROL), 1, 160L),
                        org.assertj.core.groups.Tuple.tuple(id(DAN), 2, 80L));
        assertThat(chain.points(C, ALICE)).isEqualTo(1000);
        assertThat(chain.points(C, CAROL)).isEqualTo(160);
        assertThat(chain.points(C, DAN)).isEqualTo(80);
    }

    @Test
    void budgetRunsOutMidBlockAtExactlyTheSameConversionAsSequentially() {
        CampaignRules rules = CampaignRules.simple(Reward.points(100), 250);
        List<List<Outcome<Bytes>>> results = new ArrayList<>();
        for (BlockExecutor executor : List.of(BlockExecutor.sequential(),
                BlockExecutor.parallel(ParallelConfig.defaults(4).withAdaptive(false)))) {
            try (TestChain c = new TestChain(executor, ReferralOptions.DEFAULT)) {
                c.campaign(C, rules);
                String code = c.join(C, ALICE);
                List<Item> block = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    block.add(new Item(REPORTER, c.signUp(C, code, id(key("r" + i)))));
                }
                List<Outcome<Bytes>> outcomes = c.block(block);
                results.add(outcomes);
                List<RewardStatus> statuses = outcomes.stream()
                        .map(o -> grants(TestChain.events(o)).get(0).status()).toList();
                assertThat(statuses).containsExactly(RewardStatus.PAID, RewardStatus.PAID,
                        RewardStatus.BUDGET_EXHAUSTED, RewardStatus.BUDGET_EXHAUSTED, RewardStatus.BUDGET_EXHAUSTED);
                assertThat(TestChain.events(outcomes.get(2)))
                        .anyMatch(e -> e instanceof ReferralEvent.BudgetExhausted);
                assertThat(c.counter(ReferralKeys.spend(C))).isEqualTo(200);
                assertThat(c.points(C, ALICE)).isEqualTo(200);
            }
        }
        assertThat(results.get(1)).isEqualTo(results.get(0));
    }

    @Test
    void perReferrerCapStopsOneReferrerButNotAnother() {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 1_000_000).withCap(200));
        String alice = chain.join(C, ALICE);
        String carol = chain.join(C, CAROL);
        List<RewardStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(grants(chain.ok(REPORTER, chain.signUp(C, alice, id(key("a" + i))))).get(0).status());
        }
        assertThat(statuses).containsExactly(RewardStatus.PAID, RewardStatus.PAID, RewardStatus.CAPPED);
        assertThat(grants(chain.ok(REPORTER, chain.signUp(C, carol, id(key("c0"))))).get(0).status())
                .isEqualTo(RewardStatus.PAID);
        assertThat(chain.counter(ReferralKeys.spend(C))).isEqualTo(300);
    }

    @Test
    void manualApprovalHoldsEveryRewardForReviewUntilAnAdminDecides() {
        chain.campaign(C, CampaignRules.simple(Reward.points(500), 10_000).withManualApproval(true));
        String code = chain.join(C, ALICE);
        RewardGranted first = grants(chain.ok(REPORTER, chain.signUp(C, code, id(BOB)))).get(0);
        RewardGranted second = grants(chain.ok(REPORTER, chain.signUp(C, code, id(CAROL)))).get(0);
        assertThat(first.status()).isEqualTo(RewardStatus.PENDING_REVIEW);
        assertThat(first.flag()).contains(Flag.MANUAL_APPROVAL);
        assertThat(chain.points(C, ALICE)).isZero();
        assertThat(chain.views.reviewQueue(C)).hasSize(2);

        assertThat(chain.fail(ALICE, new ReferralCall.Approve(first.reward(), "self-service")))
                .isEqualTo(ReferralFailures.NOT_AUTHORIZED);
        chain.ok(ADMIN, new ReferralCall.Approve(first.reward(), "looks fine"));
        chain.ok(ADMIN, new ReferralCall.Reject(second.reward(), "same household"));

        assertThat(chain.points(C, ALICE)).isEqualTo(500);
        assertThat(chain.reward(first.reward()).status()).isEqualTo(RewardStatus.PAID);
        assertThat(chain.reward(second.reward()).status()).isEqualTo(RewardStatus.REJECTED);
        assertThat(chain.reward(second.reward()).note()).isEqualTo("same household");
        assertThat(chain.counter(ReferralKeys.spend(C))).isEqualTo(500);
        assertThat(chain.views.reviewQueue(C)).isEmpty();
        assertThat(chain.fail(ADMIN, new ReferralCall.Approve(first.reward(), "again")))
                .isEqualTo(ReferralFailures.INVALID_STATUS);
    }

    @Test
    void aRefundClawsBackTheRewardsOfItsEventOnce() {
        chain.campaign(C, CampaignRules.simple(Reward.points(300), 10_000).withTrigger(PURCHASE)
                .withRefereeReward(Reward.points(100)));
        String code = chain.join(C, ALICE);
        chain.ok(REPORTER, chain.signUp(C, code, id(BOB)));
        ReferralCall.Qualify purchase = chain.purchase(C, id(BOB), 40);
        List<RewardGranted> grants = grants(chain.ok(REPORTER, purchase));
        assertThat(chain.points(C, ALICE)).isEqualTo(300);

        List<ReferralEvent> refund = chain.ok(REPORTER, new ReferralCall.Refund(C, purchase.eventId()));
        assertThat(refund).hasSize(2).allMatch(e -> e instanceof ReferralEvent.RewardChanged rc
                && rc.status() == RewardStatus.CLAWED_BACK);
        assertThat(chain.points(C, ALICE)).isZero();
        assertThat(chain.points(C, BOB)).isZero();
        assertThat(chain.counter(ReferralKeys.spend(C))).isZero();
        assertThat(grants).allMatch(g -> chain.reward(g.reward()).status() == RewardStatus.CLAWED_BACK);
        assertThat(chain.fail(REPORTER, new ReferralCall.Refund(C, purchase.eventId())))
                .isEqualTo(ReferralFailures.ALREADY_REFUNDED);
        assertThat(chain.fail(REPORTER, new ReferralCall.Refund(C, "never-reported")))
                .isEqualTo(ReferralFailures.EVENT_NOT_FOUND);
    }

    @Test
    void anAdminClawBackOfSpentPointsLeavesADebt() {
        chain.campaign(C, CampaignRules.simple(Reward.points(300), 10_000));
        String code = chain.join(C, ALICE);
        RewardGranted g = grants(chain.ok(REPORTER, chain.signUp(C, code, id(BOB)))).get(0);
        chain.ok(ALICE, ReferralCall.Redeem.points(C, 200));
        chain.ok(ADMIN, new ReferralCall.ClawBack(g.reward(), "fraud found later"));
        assertThat(chain.points(C, ALICE)).isEqualTo(-200);
        assertThat(chain.fail(ADMIN, new ReferralCall.ClawBack(g.reward(), "again")))
                .isEqualTo(ReferralFailures.INVALID_STATUS);
    }

    @Test
    void redemptionSpendsPointsAndClaimsPerksAndNeverOverdraws() {
        chain.campaign(C, CampaignRules.simple(Reward.points(500), 10_000).withRefereeReward(Reward.perk("1 month premium", 1)));
        String code = chain.join(C, ALICE);
        chain.ok(REPORTER, chain.signUp(C, code, id(BOB)));

        assertThat(chain.ok(ALICE, ReferralCall.Redeem.points(C, 200)))
                .containsExactly(new ReferralEvent.Redeemed(C, id(ALICE), 200, ""));
        assertThat(chain.points(C, ALICE)).isEqualTo(300);
        assertThat(chain.fail(ALICE, ReferralCall.Redeem.points(C, 301))).isEqualTo(ReferralFailures.INSUFFICIENT_POINTS);
        assertThat(chain.points(C, ALICE)).isEqualTo(300);

        chain.ok(BOB, ReferralCall.Redeem.perk(C, "1 month premium"));
        assertThat(chain.fail(BOB, ReferralCall.Redeem.perk(C, "1 month premium")))
                .isEqualTo(ReferralFailures.NO_SUCH_PERK);
    }

    @Test
    void heldRewardsAreNotRedeemableBeforeTheHoldEndsAndAreAfterARelease() {
        chain.campaign(C, CampaignRules.simple(Reward.points(500), 10_000).withHold(60_000));
        String code = chain.join(C, ALICE);
        RewardGranted g = grants(chain.ok(REPORTER, chain.signUp(C, code, id(BOB)))).get(0);
        assertThat(g.status()).isEqualTo(RewardStatus.HELD);
        assertThat(chain.fail(ALICE, ReferralCall.Redeem.points(C, 100))).isEqualTo(ReferralFailures.INSUFFICIENT_POINTS);
        assertThat(chain.fail(BOB, new ReferralCall.Release(List.of(g.reward())))).isEqualTo(ReferralFailures.STILL_HELD);

        chain.advance(60_000);
        chain.ok(BOB, new ReferralCall.Release(List.of(g.reward())));
        assertThat(chain.reward(g.reward()).status()).isEqualTo(RewardStatus.PAID);
        chain.ok(ALICE, ReferralCall.Redeem.points(C, 100));
        assertThat(chain.points(C, ALICE)).isEqualTo(400);
        assertThat(chain.fail(BOB, new ReferralCall.Release(List.of(g.reward()))))
                .isEqualTo(ReferralFailures.INVALID_STATUS);
    }

    @Test
    void aRetriedEventIdNeverRewardsTwice() {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 10_000).withTrigger(PURCHASE));
        String code = chain.join(C, ALICE);
        ReferralCall.SignUp signUp = chain.signUp(C, code, id(BOB));
        chain.ok(REPORTER, signUp);
        assertThat(chain.fail(REPORTER, signUp)).isEqualTo(ReferralFailures.DUPLICATE_EVENT);
        ReferralCall.Qualify purchase = chain.purchase(C, id(BOB), 20);
        // A retry inside the same block as the original.
        List<Outcome<Bytes>> both = chain.block(List.of(new Item(REPORTER, purchase), new Item(REPORTER, purchase)));
        assertThat(both.get(0).succeeded()).isTrue();
        assertThat(TestChain.code(both.get(1))).isEqualTo(ReferralFailures.DUPLICATE_EVENT);
        assertThat(chain.points(C, ALICE)).isEqualTo(100);
    }

    @Test
    void pausedAndEndedCampaignsRefuseEventsAndResumedOnesAcceptThem() {
        long end = chain.time + 10_000;
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 10_000).withWindow(0, end));
        String code = chain.join(C, ALICE);
        chain.ok(ADMIN, new ReferralCall.PauseCampaign(C));
        assertThat(chain.fail(REPORTER, chain.signUp(C, code, id(BOB)))).isEqualTo(ReferralFailures.CAMPAIGN_PAUSED);
        assertThat(chain.fail(CAROL, new ReferralCall.Join(C, "email"))).isEqualTo(ReferralFailures.CAMPAIGN_PAUSED);
        assertThat(chain.fail(ADMIN, new ReferralCall.PauseCampaign(C))).isEqualTo(ReferralFailures.ALREADY_PAUSED);
        chain.ok(ADMIN, new ReferralCall.ResumeCampaign(C));
        chain.ok(REPORTER, chain.signUp(C, code, id(BOB)));
        chain.advance(10_000);
        assertThat(chain.fail(REPORTER, chain.signUp(C, code, id(CAROL))))
                .isEqualTo(ReferralFailures.CAMPAIGN_NOT_RUNNING);
        // Rewards already paid stay redeemable after the end.
        chain.ok(ALICE, ReferralCall.Redeem.points(C, 100));
    }

    @Test
    void updatesMakeANewRulesVersionThatLaterRewardsCarry() throws Exception {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 10_000));
        String code = chain.join(C, ALICE);
        RewardGranted v1 = grants(chain.ok(REPORTER, chain.signUp(C, code, id(BOB)))).get(0);
        chain.ok(ADMIN, new ReferralCall.UpdateCampaign(C, CampaignRules.simple(Reward.points(250), 10_000)));
        RewardGranted v2 = grants(chain.ok(REPORTER, chain.signUp(C, code, id(CAROL)))).get(0);
        assertThat(chain.reward(v1.reward()).rulesVersion()).isEqualTo(1);
        assertThat(chain.reward(v2.reward()).rulesVersion()).isEqualTo(2);
        assertThat(v2.value().amount()).isEqualTo(250);
        assertThat(ReferralCodec.decodeRulesValue(chain.value(ReferralKeys.rulesVersion(C, 1))).referrerReward())
                .isEqualTo(Reward.points(100));
    }

    @Test
    void crossPromotionAcceptsCodesOfPartnerCampaignsOnly() {
        chain.campaign("partner", CampaignRules.simple(Reward.points(10), 10_000));
        chain.campaign("open", CampaignRules.simple(Reward.points(20), 10_000).withPartners(List.of("partner")));
        chain.campaign("closed", CampaignRules.simple(Reward.points(30), 10_000));
        String partnerCode = chain.join("partner", ALICE);
        List<ReferralEvent> accepted = chain.ok(REPORTER, chain.signUp("open", partnerCode, id(BOB)));
        assertThat(grants(accepted).get(0).to()).isEqualTo(id(ALICE));
        assertThat(chain.points("open", ALICE)).isEqualTo(20);
        assertThat(chain.fail(REPORTER, chain.signUp("closed", partnerCode, id(BOB))))
                .isEqualTo(ReferralFailures.CODE_NOT_ACCEPTED);
        assertThat(chain.fail(REPORTER, chain.signUp("open", "0000000000", id(BOB))))
                .isEqualTo(ReferralFailures.UNKNOWN_CODE);
    }

    @Test
    void onlyAuthorizedReportersReportAndOnlyTheAdminAdministers() {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 10_000));
        String code = chain.join(C, ALICE);
        KeyPair stranger = key("stranger");
        assertThat(chain.fail(stranger, chain.signUp(C, code, id(BOB)))).isEqualTo(ReferralFailures.NOT_REPORTER);
        assertThat(chain.fail(stranger, new ReferralCall.CreateCampaign("x", CampaignRules.simple(Reward.points(1), 1))))
                .isEqualTo(ReferralFailures.NOT_AUTHORIZED);
        chain.ok(ADMIN, new ReferralCall.AuthorizeReporter(C, id(stranger)));
        chain.ok(stranger, chain.signUp(C, code, id(BOB)));
        chain.ok(ADMIN, new ReferralCall.RevokeReporter(C, id(stranger)));
        assertThat(chain.fail(stranger, chain.signUp(C, code, id(CAROL)))).isEqualTo(ReferralFailures.NOT_REPORTER);
        assertThat(chain.fail(ALICE, new ReferralCall.Join(C, "email"))).isEqualTo(ReferralFailures.ALREADY_JOINED);
        assertThat(chain.fail(ADMIN, new ReferralCall.CreateCampaign(C, CampaignRules.simple(Reward.points(1), 1))))
                .isEqualTo(ReferralFailures.CAMPAIGN_EXISTS);
    }

    @Test
    void viewsFollowTheFunnelAndTheLeaderboard() {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 10_000).withTrigger(PURCHASE));
        String alice = chain.join(C, ALICE);
        String carol = chain.join(C, CAROL);
        chain.join(C, DAN);
        chain.ok(REPORTER, new ReferralCall.Click(C, alice, "social", "click-1"));
        chain.ok(REPORTER, new ReferralCall.Click(C, alice, "email", "click-2"));
        chain.ok(REPORTER, chain.signUp(C, alice, id(BOB)));
        chain.ok(REPORTER, chain.signUp(C, carol, id(key("x"))));
        chain.ok(REPORTER, chain.signUp(C, carol, id(key("y"))));
        chain.ok(REPORTER, chain.purchase(C, id(BOB), 20));
        chain.ok(REPORTER, chain.purchase(C, id(key("x")), 20));
        chain.ok(REPORTER, chain.purchase(C, id(key("y")), 20));

        ReferralViews v = chain.views;
        assertThat(v.leaderboard(C, 10)).containsExactly(new ReferralViews.Ranked(1, id(CAROL), 200),
                new ReferralViews.Ranked(2, id(ALICE), 100));
        assertThat(v.rank(C, id(ALICE))).contains(new ReferralViews.Ranked(2, id(ALICE), 100));
        assertThat(v.funnel(C).total()).isEqualTo(new ReferralViews.FunnelCounts(2, 3, 3));
        assertThat(v.funnel(C).byChannel().get("social")).isEqualTo(new ReferralViews.FunnelCounts(1, 3, 3));
        assertThat(v.referrerFunnel(C, id(ALICE))).isEqualTo(new ReferralViews.FunnelCounts(2, 1, 1));
        assertThat(v.viralCoefficient(C)).isEqualTo(1.0);
        assertThat(v.nonParticipants(C)).containsExactly(id(DAN));
        assertThat(v.timeToReward(C).count()).isEqualTo(3);
        assertThat(v.timeToReward(C).medianMillis()).isEqualTo(3000);
    }
}
