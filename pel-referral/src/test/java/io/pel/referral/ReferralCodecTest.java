package io.pel.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.TxResult;
import io.pel.referral.CampaignRules.FraudPolicy;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.CampaignRules.Tier;
import io.pel.referral.CampaignRules.Trigger;
import io.pel.referral.ReferralCall.*;
import io.pel.referral.ReferralEvent.*;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every call and event round-trips through its one byte form; everything else is rejected with a reason. */
class ReferralCodecTest {

    private static final AccountId A = TestChain.id(TestChain.key("a"));
    private static final AccountId B = TestChain.id(TestChain.key("b"));
    private static final RewardId R = RewardId.derive(Hash.sha256(Bytes.utf8("tx")), 3);
    private static final Hash H = Hash.sha256(Bytes.utf8("h"));
    private static final String CODE = "0123456789";

    static CampaignRules fullRules() {
        return new CampaignRules(new Trigger.Qualifying("first_purchase", 25, true), Reward.credit(1000),
                Reward.perk("1 month premium", 1), List.of(new Tier(3, Reward.points(50), "bronze", "b"),
                new Tier(10, Reward.NONE, "gold", "g")), List.of(1600, 800, 400), 1_000_000, 5000, 10, 20, 7,
                new FraudPolicy(5, 3_600_000, true, false, true), true, List.of("alpha", "beta"));
    }

    static List<ReferralCall> everyCall() {
        return List.of(new CreateCampaign("spring-2026", fullRules()),
                new CreateCampaign("plain", CampaignRules.simple(Reward.points(1), 1)),
                new UpdateCampaign("spring-2026", fullRules().withTrigger(new Trigger.SignUp())),
                new PauseCampaign("c"), new ResumeCampaign("c"), new AuthorizeReporter("c", A),
                new RevokeReporter("c", B),
                new BlocklistAdd(new Blocklist.Pattern(Blocklist.Kind.EMAIL_DOMAIN, "*.tempmail.*")),
                new BlocklistRemove(new Blocklist.Pattern(Blocklist.Kind.FINGERPRINT, "ab12*")),
                new Join("c", "in-app"), new Click("c", CODE, "email", "click-1"),
                new SignUp("c", CODE + "ab", "social", A, H, Hash.sha256(Bytes.utf8("e")), "example.org", "s-1"),
                new SignUp("c", CODE, "partner", B, H, H, "", "s-2"),
                new Qualify("c", A, "purchase", 4200, "q-1"), new Refund("c", "q-1"),
                new Approve(R, "ok"), new Reject(R, ""), new ClawBack(R, "refund — late"),
                new Release(List.of(R, RewardId.derive(H, 0))), Redeem.points("c", 500),
                Redeem.perk("c", "1 month premium"));
    }

    static List<ReferralEvent> everyEvent() {
        return List.of(new CampaignChanged("c", 2, CampaignChange.UPDATED), new ReporterChanged("c", A, false),
                new BlocklistChanged(new Blocklist.Pattern(Blocklist.Kind.EMAIL, "*@spam.example"), true),
                new Joined("c", A, CODE, "email"), new Clicked("c", CODE, A, "social"),
                new SignedUp("c", A, B, "email", Optional.of(Flag.VELOCITY)),
                new SignedUp("c", A, B, "email", Optional.empty()),
                new SignUpBlocked("c", A, A, "email", Flag.SELF_REFERRAL), new Converted("c", A, B, 99),
                new EventIgnored("c", B, IgnoredReason.BELOW_MINIMUM),
                new RewardGranted(R, "c", A, B, RewardSource.SHARE, 2, Reward.points(80), RewardStatus.HELD, 77,
                        Optional.empty()),
                new RewardGranted(R, "c", B, B, RewardSource.REFEREE, 0, Reward.perk("p", 1),
                        RewardStatus.PENDING_REVIEW, 0, Optional.of(Flag.DISPOSABLE_EMAIL)),
                new MilestoneReached("c", A, 1, "gold", "influencer"), new BudgetExhausted("c", R),
                new RewardChanged(R, "c", A, Reward.credit(5), RewardStatus.PAID, RewardStatus.CLAWED_BACK,
                        RewardChange.CLAWED_BACK),
                new Redeemed("c", A, 0, "p"));
    }

    @Test
    void everyCallRoundTrips() throws Exception {
        for (ReferralCall call : everyCall()) {
            Bytes bytes = ReferralCodec.encode(call);
            assertThat(ReferralCodec.decode(bytes)).isEqualTo(call);
            assertThat(ReferralCodec.encode(ReferralCodec.decode(bytes))).isEqualTo(bytes);
            assertThat(bytes.length()).isLessThanOrEqualTo(io.pel.ledger.Payload.Call.MAX_BODY_BYTES);
        }
        // Every call type is covered.
        assertThat(everyCall().stream().map(Object::getClass).distinct())
                .hasSize(ReferralCall.class.getPermittedSubclasses().length);
    }

    @Test
    void everyEventListRoundTripsAndFitsAReceipt() throws Exception {
        List<ReferralEvent> events = everyEvent();
        Bytes bytes = ReferralEvents.encode(events);
        assertThat(ReferralEvents.decode(bytes)).isEqualTo(events);
        assertThat(ReferralEvents.decode(ReferralEvents.encode(List.of()))).isEmpty();
        assertThat(events.stream().map(Object::getClass).distinct())
                .hasSize(ReferralEvent.class.getPermittedSubclasses().length);
        assertThat(bytes.length()).isLessThanOrEqualTo(TxResult.MAX_OUTPUT_BYTES);
    }

    @Test
    void storedValuesRoundTrip() throws Exception {
        var campaign = new ReferralState.Campaign(3, true, fullRules());
        assertThat(ReferralCodec.decodeCampaign(ReferralCodec.encodeCampaign(campaign))).isEqualTo(campaign);
        var link = new ReferralState.Link(A, "c", "email", 5, Optional.of(Flag.BLOCKLISTED));
        assertThat(ReferralCodec.decodeLink(ReferralCodec.encodeLink(link))).isEqualTo(link);
        var reward = new RewardRecord(R, "c", 2, A, RewardSource.MILESTONE, 1, Reward.points(5), B, "e-1",
                RewardStatus.PAID, 1, 2, Optional.of(Flag.MANUAL_APPROVAL), "ok");
        assertThat(ReferralCodec.decodeReward(ReferralCodec.encodeReward(reward))).isEqualTo(reward);
        var event = new ReferralState.EventRecord(ReferralState.EventKind.QUALIFY, Optional.of(A), List.of(R), true);
        assertThat(ReferralCodec.decodeEvent(ReferralCodec.encodeEvent(event))).isEqualTo(event);
        var participant = new ReferralState.Participant(CODE, "email", 9);
        assertThat(ReferralCodec.decodeParticipant(ReferralCodec.encodeParticipant(participant))).isEqualTo(participant);
        var list = Blocklist.EMPTY.with(new Blocklist.Pattern(Blocklist.Kind.FINGERPRINT, "ab*"))
                .with(new Blocklist.Pattern(Blocklist.Kind.EMAIL_DOMAIN, "x.example"));
        assertThat(ReferralCodec.decodeBlocklist(ReferralCodec.encodeBlocklist(list))).isEqualTo(list);
    }

    private static void rejects(byte[] bytes, EncodingError reason) {
        assertThatThrownBy(() -> ReferralCodec.decode(Bytes.of(bytes)))
                .isInstanceOfSatisfying(EncodingException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void truncatedOrExtendedCallsAreRejected() {
        for (ReferralCall call : everyCall()) {
            byte[] bytes = ReferralCodec.encode(call).toByteArray();
            rejects(Arrays.copyOf(bytes, bytes.length + 1), EncodingError.TRAILING_BYTES);
            for (int keep = 0; keep < bytes.length; keep += Math.max(1, bytes.length / 7)) {
                byte[] truncated = Arrays.copyOf(bytes, keep);
                assertThatThrownBy(() -> ReferralCodec.decode(Bytes.of(truncated)))
                        .isInstanceOf(EncodingException.class);
            }
        }
    }

    @Test
    void unknownTagsOverLongFieldsBadBooleansAndInvalidValuesAreRejected() {
        rejects(new byte[] {0}, EncodingError.UNKNOWN_TAG);
        rejects(new byte[] {99}, EncodingError.UNKNOWN_TAG);
        // Over-long campaign id: a length prefix of 33.
        rejects(new byte[] {3, 0, 0, 0, 33}, EncodingError.TOO_LONG);
        // An upper-case campaign id.
        byte[] pause = ReferralCodec.encode(new PauseCampaign("abc")).toByteArray();
        pause[5] = 'A';
        rejects(pause, EncodingError.INVALID_VALUE);
        // A boolean that is neither 0 nor 1 (the manual-approval switch sits before the partner count).
        byte[] create = ReferralCodec.encode(new CreateCampaign("c", CampaignRules.simple(Reward.points(1), 1)))
                .toByteArray();
        create[create.length - 2] = 2;
        rejects(create, EncodingError.UNKNOWN_TAG);
        // A budget of 0.
        CampaignRules rules = CampaignRules.simple(Reward.points(1), 1);
        byte[] c2 = ReferralCodec.encode(new CreateCampaign("c", rules)).toByteArray();
        int budgetAt = indexOfLong(c2, 1L);
        c2[budgetAt + 7] = 0;
        rejects(c2, EncodingError.INVALID_VALUE);
        // A redemption of points and a perk at once cannot even be built.
        assertThatThrownBy(() -> new Redeem("c", 5, "p")).isInstanceOf(IllegalArgumentException.class);
        // A referral code outside the alphabet.
        byte[] click = ReferralCodec.encode(new Click("c", CODE, "email", "e")).toByteArray();
        click[1 + 4 + 1 + 4] = 'I';
        rejects(click, EncodingError.INVALID_VALUE);
    }

    @Test
    void eventOutputsRejectUnknownTagsAndTrailingBytes() {
        assertThatThrownBy(() -> ReferralEvents.decode(Bytes.of(new byte[] {1, 99})))
                .isInstanceOfSatisfying(EncodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EncodingError.UNKNOWN_TAG));
        byte[] ok = ReferralEvents.encode(List.of(new BudgetExhausted("c", R))).toByteArray();
        assertThatThrownBy(() -> ReferralEvents.decode(Bytes.of(Arrays.copyOf(ok, ok.length + 1))))
                .isInstanceOfSatisfying(EncodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EncodingError.TRAILING_BYTES));
    }

    private static int indexOfLong(byte[] bytes, long value) {
        // The first 8-byte big-endian occurrence of value after the rewards: the budget.
        byte[] needle = io.pel.ledger.node.StateLayout.encodeLong(value).toByteArray();
        outer:
        for (int i = 30; i + 8 <= bytes.length; i++) {
            for (int j = 0; j < 8; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void codesAreDeterministicAndSpreadOut() {
        String a = ReferralCode.derive("c", A, H, ReferralCode.LENGTH);
        assertThat(ReferralCode.derive("c", A, H, ReferralCode.LENGTH)).isEqualTo(a);
        assertThat(ReferralCode.derive("c", B, H, ReferralCode.LENGTH)).isNotEqualTo(a);
        assertThat(ReferralCode.derive("d", A, H, ReferralCode.LENGTH)).isNotEqualTo(a);
        assertThat(ReferralCode.check(a)).hasSize(10);
        assertThat(ReferralCode.derive("c", A, H, ReferralCode.LONG_LENGTH)).startsWith(a).hasSize(12);
    }
}
