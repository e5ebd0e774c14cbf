package io.pel.referral;

import static io.pel.referral.TestChain.ADMIN;
import static io.pel.referral.TestChain.REPORTER;
import static io.pel.referral.TestChain.grants;
import static io.pel.referral.TestChain.id;
import static io.pel.referral.TestChain.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.referral.CampaignRules.FraudPolicy;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.ReferralEvent.RewardGranted;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fraud rule catches its case, and lets an honest look-alike through. */
class ReferralFraudTest {

    private static final String C = "fair";
    private static final KeyPair ALICE = key("alice");
    private static final KeyPair BOB = key("bob");
    private static final KeyPair CAROL = key("carol");

    private final TestChain chain = new TestChain();

    @AfterEach
    void close() {
        chain.close();
    }

    private String start(FraudPolicy policy) {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 1_000_000).withFraud(policy));
        return chain.join(C, ALICE);
    }

    private static ReferralCall.SignUp signUp(String code, AccountId referee, String fp, String email, String domain,
                                              String eventId) {
        return new ReferralCall.SignUp(C, code, "social", referee, Hash.sha256(Bytes.utf8(fp)),
                Hash.sha256(Bytes.utf8(email)), domain, eventId);
    }

    private Optional<Flag> flagOf(List<ReferralEvent> events) {
        return events.stream().filter(e -> e instanceof ReferralEvent.SignedUp).findFirst()
                .flatMap(e -> ((ReferralEvent.SignedUp) e).flag());
    }

    @Test
    void selfReferralIsBlockedAndAnotherRefereeIsNot() {
        String code = start(FraudPolicy.OFF);
        List<ReferralEvent> self = chain.ok(REPORTER, chain.signUp(C, code, id(ALICE)));
        assertThat(self).containsExactly(new ReferralEvent.SignUpBlocked(C, id(ALICE), id(ALICE), "social",
                Flag.SELF_REFERRAL));
        assertThat(chain.value(ReferralKeys.link(C, id(ALICE)))).isNull();
        assertThat(chain.points(C, ALICE)).isZero();

        List<ReferralEvent> honest = chain.ok(REPORTER, chain.signUp(C, code, id(BOB)));
        assertThat(grants(honest)).singleElement().satisfies(g -> assertThat(g.status()).isEqualTo(RewardStatus.PAID));
    }

    @Test
    void aReferralCycleIsBlockedAndAChainIsNot() {
        String alice = start(FraudPolicy.OFF);
        chain.ok(REPORTER, chain.signUp(C, alice, id(BOB)));            // bob ← alice
        String bob = chain.join(C, BOB);
        chain.ok(REPORTER, chain.signUp(C, bob, id(CAROL)));            // carol ← bob
        String carol = chain.join(C, CAROL);

        // alice signing up with carol's code would close alice → bob → carol → alice.
        List<ReferralEvent> cycle = chain.ok(REPORTER, chain.signUp(C, carol, id(ALICE)));
        assertThat(cycle).singleElement().isEqualTo(new ReferralEvent.SignUpBlocked(C, id(CAROL), id(ALICE), "social",
                Flag.REFERRAL_CYCLE));
        // bob with alice's code again is just a second referral of a referred account.
        assertThat(chain.fail(REPORTER, chain.signUp(C, alice, id(BOB)))).isEqualTo(ReferralFailures.ALREADY_REFERRED);
        // A newcomer joining the end of the chain is fine.
        assertThat(grants(chain.ok(REPORTER, chain.signUp(C, carol, id(key("dave")))))).hasSize(1);
    }

    @Test
    void aReusedFingerprintOrEmailIsFlaggedAndFreshOnesAreNot() {
        String code = start(FraudPolicy.DEFAULT);
        List<ReferralEvent> first = chain.ok(REPORTER, signUp(code, id(BOB), "device-1", "bob@x", "example.org", "e1"));
        assertThat(flagOf(first)).isEmpty();
        List<ReferralEvent> sameDevice = chain.ok(REPORTER,
                signUp(code, id(CAROL), "device-1", "carol@x", "example.org", "e2"));
        assertThat(flagOf(sameDevice)).contains(Flag.DUPLICATE_FINGERPRINT);
        RewardGranted held = grants(sameDevice).get(0);
        assertThat(held.status()).isEqualTo(RewardStatus.PENDING_REVIEW);
        assertThat(chain.views.reviewQueue(C)).extracting(ReferralViews.Review::reason)
                .containsExactly(Flag.DUPLICATE_FINGERPRINT);
        List<ReferralEvent> sameEmail = chain.ok(REPORTER,
                signUp(code, id(key("d")), "device-3", "bob@x", "example.org", "e3"));
        assertThat(flagOf(sameEmail)).contains(Flag.DUPLICATE_EMAIL);
        List<ReferralEvent> fresh = chain.ok(REPORTER,
                signUp(code, id(key("e")), "device-4", "e@x", "example.org", "e4"));
        assertThat(flagOf(fresh)).isEmpty();
        assertThat(chain.points(C, ALICE)).isEqualTo(200);

        // The admin's review decides, and the decision is recorded on the reward.
        chain.ok(ADMIN, new ReferralCall.Approve(held.reward(), "shared family tablet"));
        assertThat(chain.points(C, ALICE)).isEqualTo(300);
        assertThat(chain.reward(held.reward()).flag()).contains(Flag.DUPLICATE_FINGERPRINT);
        assertThat(chain.reward(held.reward()).note()).isEqualTo("shared family tablet");
    }

    @Test
    void velocityFlagsABurstInOneWindowButNotTheSamePaceAcrossWindows() {
        String code = start(FraudPolicy.OFF.withVelocity(2, 60_000));
        chain.time = 120_000_000; // the start of a window
        List<Optional<Flag>> flags = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            flags.add(flagOf(chain.ok(REPORTER, chain.signUp(C, code, id(key("v" + i))))));
        }
        assertThat(flags).containsExactly(Optional.empty(), Optional.empty(), Optional.of(Flag.VELOCITY));

        chain.time = 240_000_000; // a later window
        for (int i = 0; i < 2; i++) {
            assertThat(flagOf(chain.ok(REPORTER, chain.signUp(C, code, id(key("w" + i)))))).isEmpty();
        }
        // Another referrer in the busy window is not slowed by alice's burst.
        String carol = chain.join(C, CAROL);
        assertThat(flagOf(chain.ok(REPORTER, chain.signUp(C, carol, id(key("z")))))).isEmpty();
    }

    @Test
    void blocklistPatternsWithWildcardsFlagMatchesAndOnlyMatches() {
        String code = start(new FraudPolicy(0, 0, false, false, true));
        chain.ok(ADMIN, new ReferralCall.BlocklistAdd(new Blocklist.Pattern(Blocklist.Kind.EMAIL_DOMAIN, "*.tempmail.*")));
        chain.ok(ADMIN, new ReferralCall.BlocklistAdd(new Blocklist.Pattern(Blocklist.Kind.EMAIL, "*@spam.example")));
        String badDevice = Hash.sha256(Bytes.utf8("bad-device")).toHex();
        chain.ok(ADMIN, new ReferralCall.BlocklistAdd(new Blocklist.Pattern(Blocklist.Kind.FINGERPRINT,
                badDevice.substring(0, 8) + "*")));
        assertThat(chain.fail(ADMIN, new ReferralCall.BlocklistAdd(
                new Blocklist.Pattern(Blocklist.Kind.EMAIL, "*@spam.example")))).isEqualTo(ReferralFailures.PATTERN_EXISTS);

        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("a")), "d1", "a", "x.tempmail.net", "b1"))))
                .contains(Flag.BLOCKLISTED);
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("b")), "d2", "b", "spam.example", "b2"))))
                .contains(Flag.BLOCKLISTED);
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("c")), "bad-device", "c", "ok.example", "b3"))))
                .contains(Flag.BLOCKLISTED);
        // Look-alikes: a domain that merely contains the word, a sub-domain of the spam domain's neighbour.
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("d")), "d4", "d", "mytempmail.com", "b4")))).isEmpty();
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("e")), "d5", "e", "nospam.example", "b5")))).isEmpty();
        // Removing the pattern lets the same domain through.
        chain.ok(ADMIN, new ReferralCall.BlocklistRemove(new Blocklist.Pattern(Blocklist.Kind.EMAIL_DOMAIN, "*.tempmail.*")));
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("f")), "d6", "f", "x.tempmail.net", "b6")))).isEmpty();
    }

    @Test
    void disposableEmailDomainsAreFlaggedWithTheirSubdomainsButNotLookAlikes() {
        String code = start(new FraudPolicy(0, 0, false, true, false));
        assertThat(DisposableDomains.size()).isGreaterThan(300);
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("a")), "d1", "a", "mailinator.com", "m1"))))
                .contains(Flag.DISPOSABLE_EMAIL);
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("b")), "d2", "b", "eu.yopmail.com", "m2"))))
                .contains(Flag.DISPOSABLE_EMAIL);
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("c")), "d3", "c", "mailinator.example", "m3"))))
                .isEmpty();
        assertThat(flagOf(chain.ok(REPORTER, signUp(code, id(key("d")), "d4", "d", "gmail.com", "m4")))).isEmpty();
    }

    @Test
    void flaggedAttributionsHoldTheirLaterConversionsAndSharesForReviewToo() {
        chain.campaign(C, CampaignRules.simple(Reward.points(100), 1_000_000)
                .withTrigger(new CampaignRules.Trigger.Qualifying("purchase", 0, false))
                .withRefereeReward(Reward.points(10)));
        String code = chain.join(C, ALICE);
        chain.ok(REPORTER, signUp(code, id(BOB), "d1", "b", "mailinator.com", "s1"));
        List<RewardGranted> grants = grants(chain.ok(REPORTER, chain.purchase(C, id(BOB), 50)));
        assertThat(grants).hasSize(2).allMatch(g -> g.status() == RewardStatus.PENDING_REVIEW
                && g.flag().equals(Optional.of(Flag.DISPOSABLE_EMAIL)));
        // Flagged conversions do not count toward milestones.
        assertThat(chain.counter(ReferralKeys.referrals(C, id(ALICE)))).isZero();
    }

    @Test
    void globMatching() {
        assertThat(Blocklist.glob("*.tempmail.*", "a.tempmail.net")).isTrue();
        assertThat(Blocklist.glob("*.tempmail.*", "tempmail.net")).isFalse();
        assertThat(Blocklist.glob("a?c", "abc")).isTrue();
        assertThat(Blocklist.glob("a?c", "ac")).isFalse();
        assertThat(Blocklist.glob("*", "")).isTrue();
        assertThat(Blocklist.glob("ab*cd*", "abxxcdyy")).isTrue();
        assertThat(Blocklist.glob("ab*cd", "abxxcdyy")).isFalse();
    }
}
