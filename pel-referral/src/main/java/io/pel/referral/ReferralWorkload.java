package io.pel.referral;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.referral.CampaignRules.FraudPolicy;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.CampaignRules.Tier;
import io.pel.referral.CampaignRules.Trigger;
import io.pel.referral.ReferralBlocks.Item;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The {@code referral} workload: a deterministic, seeded stream of referral calls. {@link #setup()} gives the admin's
 * campaign and reporter calls and every participant's Join; once the codes are known ({@link #useCodes}), each
 * {@link #nextBlock} gives a block of events: clicks, sign-ups, qualifying purchases, a few refunds and redemptions,
 * with referrers drawn from a Zipf distribution (a few influencers, a long tail), referees that are themselves
 * participants (so multi-level chains form), and a configurable share of fraudulent sign-ups (self-referral, reused
 * fingerprint, disposable e-mail, velocity bursts). Events are sent by a pool of reporter keys, so no single
 * sender's nonce serializes a block. Same seed, same codes → same stream.
 */
public final class ReferralWorkload {

    /** The campaign the workload runs unless given another. */
    public static final String CAMPAIGN = "bench";

    /**
     * @param seed         the stream's seed
     * @param participants how many participants join (and refer)
     * @param reporters    the reporter key pool's size
     * @param zipfExponent the referrer distribution's exponent (~1.1)
     * @param fraudShare   the share of sign-ups that are fraudulent
     */
    public record Config(long seed, int participants, int reporters, double zipfExponent, double fraudShare) {
        public Config {
            if (participants < 2 || reporters < 1 || zipfExponent <= 0 || fraudShare < 0 || fraudShare > 1) {
                throw new IllegalArgumentException("bad workload config");
            }
        }

        public static Config defaults(long seed) {
            return new Config(seed, 1000, 32, 1.1, 0.05);
        }
    }

    private final Config config;
    private final String campaign;
    private final Random random;
    private final KeyPair admin;
    private final List<KeyPair> reporters = new ArrayList<>();
    private final List<KeyPair> participants = new ArrayList<>();
    private final List<AccountId> participantIds = new ArrayList<>();
    private final double[] zipfCdf;
    private Map<AccountId, String> codes = Map.of();
    /** The generator's own picture of the links it made (honest ones), to keep honest sign-ups cycle-free. */
    private final Map<AccountId, AccountId> referrerOf = new HashMap<>();
    private final List<AccountId> signedUp = new ArrayList<>();
    private final List<String> purchases = new ArrayList<>();
    private final Set<AccountId> referred = new HashSet<>();
    private long eventSeq;
    private long freshSeq;
    private int reporterTurn;

    public ReferralWorkload(Config config, KeyPair admin) {
        this(config, admin, CAMPAIGN);
    }

    /** As {@link #ReferralWorkload(Config, KeyPair)}, for a campaign of another name. */
    public ReferralWorkload(Config config, KeyPair admin, String campaign) {
        this.campaign = Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
        this.config = Objects.requireNonNull(config, "config");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.random = new Random(config.seed());
        for (int i = 0; i < config.reporters(); i++) {
            reporters.add(Keys.fromSeed(seed("reporter", i)));
        }
        for (int i = 0; i < config.participants(); i++) {
            KeyPair k = Keys.fromSeed(seed("participant", i));
            participants.add(k);
            participantIds.add(Keys.accountId(k));
        }
        zipfCdf = new double[config.participants()];
        double sum = 0;
        for (int i = 0; i < zipfCdf.length; i++) {
            sum += 1 / Math.pow(i + 1, config.zipfExponent());
            zipfCdf[i] = sum;
        }
        for (int i = 0; i < zipfCdf.length; i++) {
            zipfCdf[i] /= sum;
        }
    }

    /** The bench campaign: pay per purchase of at least 10, three-level shares (16 %, 8 %), tiers, fraud rules. */
    public static CampaignRules benchRules() {
        return new CampaignRules(new Trigger.Qualifying("purchase", 10, false), Reward.points(100), Reward.points(50),
                List.of(new Tier(5, Reward.points(500), "silver", "rising-star"),
                        new Tier(25, Reward.points(2_500), "gold", "influencer")),
                List.of(1600, 800), 500_000_000L, 0, 0, Long.MAX_VALUE, 0,
                FraudPolicy.DEFAULT.withVelocity(40, 60_000), false, List.of());
    }

    public KeyPair admin() {
        return admin;
    }

    public List<KeyPair> reporters() {
        return List.copyOf(reporters);
    }

    public List<KeyPair> participants() {
        return List.copyOf(participants);
    }

    /** The admin's calls, then every participant's Join. */
    public List<Item> setup() {
        List<Item> items = new ArrayList<>();
        items.add(new Item(admin, new ReferralCall.CreateCampaign(campaign, benchRules())));
        for (KeyPair r : reporters) {
            items.add(new Item(admin, new ReferralCall.AuthorizeReporter(campaign, Keys.accountId(r))));
        }
        String[] channels = {"email", "social", "in-app", "partner"};
        for (int i = 0; i < participants.size(); i++) {
            items.add(new Item(participants.get(i), participantIds.get(i),
                    new ReferralCall.Join(campaign, channels[i % channels.length])));
        }
        return items;
    }

    /** The codes the setup's Joins handed out (from their events, or read from the state). */
    public void useCodes(Map<AccountId, String> codes) {
        this.codes = Map.copyOf(codes);
    }

    /** The next {@code size} events. */
    public List<Item> nextBlock(int size) {
        if (codes.isEmpty()) {
            throw new IllegalStateException("useCodes first: sign-ups need the participants' codes");
        }
        List<Item> items = new ArrayList<>(size);
        while (items.size() < size) {
            double p = random.nextDouble();
            if (p < 0.35) {
                items.add(click());
            } else if (p < 0.65) {
                if (random.nextDouble() < config.fraudShare()) {
                    items.addAll(fraudulentSignUp(size - items.size()));
                } else {
                    items.add(honestSignUp());
                }
            } else if (p < 0.95 || signedUp.isEmpty()) {
                if (!signedUp.isEmpty()) {
                    items.add(purchase());
                } else {
                    items.add(click());
                }
            } else if (p < 0.97 && !purchases.isEmpty()) {
                String eventId = purchases.remove(random.nextInt(purchases.size()));
                items.add(reporterItem(new ReferralCall.Refund(campaign, eventId)));
            } else {
                int who = zipf();
                items.add(new Item(participants.get(who), participantIds.get(who),
                        ReferralCall.Redeem.points(campaign, 50 + random.nextInt(200))));
            }
        }
        return items;
    }

    private Item click() {
        int who = zipf();
        return reporterItem(new ReferralCall.Click(campaign, code(who), channel(), nextEventId("c")));
    }

    private Item honestSignUp() {
        int who = zipf();
        AccountId referrer = participantIds.get(who);
        AccountId referee = pickReferee(referrer);
        referrerOf.put(referee, referrer);
        referred.add(referee);
        signedUp.add(referee);
        Hash fp = Hash.sha256(bytes("fp", freshSeq++));
        Hash email = Hash.sha256(bytes("email", freshSeq++));
        return reporterItem(new ReferralCall.SignUp(campaign, code(who), channel(), referee, fp, email,
                random.nextBoolean() ? "gmail.com" : "example.org", nextEventId("s")));
    }

    /** One fraudulent sign-up, or a velocity burst of several (at most {@code room}). */
    private List<Item> fraudulentSignUp(int room) {
        int who = zipf();
        AccountId referrer = participantIds.get(who);
        int kind = random.nextInt(4);
        Hash fp = Hash.sha256(bytes("fp", freshSeq++));
        Hash email = Hash.sha256(bytes("email", freshSeq++));
        String domain = "example.org";
        AccountId referee = fresh();
        switch (kind) {
            case 0 -> referee = referrer;                                     // self-referral
            case 1 -> fp = Hash.sha256(bytes("fp", 0));                       // a reused device
            case 2 -> domain = "mailinator.com";                              // disposable e-mail
            default -> {                                                      // a velocity burst
                List<Item> burst = new ArrayList<>();
                int n = Math.min(room, 8);
                for (int i = 0; i < n; i++) {
                    burst.add(reporterItem(new ReferralCall.SignUp(campaign, code(who), channel(), fresh(),
                            Hash.sha256(bytes("fp", freshSeq++)), Hash.sha256(bytes("email", freshSeq++)),
                            "example.org", nextEventId("v"))));
                }
                return burst;
            }
        }
        if (kind != 0) {
            signedUp.add(referee); // fraudsters buy too: their conversions' rewards wait for review
        }
        return List.of(reporterItem(new ReferralCall.SignUp(campaign, code(who), channel(), referee, fp, email,
                domain, nextEventId("f"))));
    }

    private Item purchase() {
        AccountId referee = signedUp.get(random.nextInt(signedUp.size()));
        String eventId = nextEventId("q");
        purchases.add(eventId);
        long amount = random.nextInt(10) == 0 ? 5 : 10 + random.nextInt(200);
        return reporterItem(new ReferralCall.Qualify(campaign, referee, "purchase", amount, eventId));
    }

    /** An unreferred participant that is not above the referrer in its chain (so chains form), else a fresh account. */
    private AccountId pickReferee(AccountId referrer) {
        if (random.nextDouble() < 0.3) {
            AccountId candidate = participantIds.get(random.nextInt(participantIds.size()));
            if (!referred.contains(candidate) && !candidate.equals(referrer) && !above(candidate, referrer)) {
                return candidate;
            }
        }
        return fresh();
    }

    private boolean above(AccountId candidate, AccountId referrer) {
        AccountId at = referrerOf.get(referrer);
        for (int i = 0; at != null && i < ReferralApp.MAX_CHAIN_WALK; i++) {
            if (at.equals(candidate)) {
                return true;
            }
            at = referrerOf.get(at);
        }
        return false;
    }

    private AccountId fresh() {
        return AccountId.of(Hash.sha256(bytes("referee", freshSeq++)).toByteArray());
    }

    private int zipf() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = zipfCdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private String code(int who) {
        String code = codes.get(participantIds.get(who));
        if (code == null) {
            throw new IllegalStateException("no code for participant " + who);
        }
        return code;
    }

    private String channel() {
        double p = random.nextDouble();
        return p < 0.4 ? "social" : p < 0.7 ? "email" : p < 0.9 ? "in-app" : "partner";
    }

    private Item reporterItem(ReferralCall call) {
        KeyPair r = reporters.get(reporterTurn++ % reporters.size());
        return new Item(r, call);
    }

    private String nextEventId(String kind) {
        return kind + "-" + config.seed() + "-" + eventSeq++;
    }

    private byte[] bytes(String tag, long n) {
        return ByteBuffer.allocate(24 + tag.length()).putLong(config.seed()).putLong(n)
                .put(tag.getBytes(StandardCharsets.US_ASCII)).array();
    }

    private byte[] seed(String tag, int i) {
        return Hash.sha256(bytes(tag, i)).toByteArray();
    }

    /** A key for tests and demos derived from a label: the same label, the same key. */
    public static KeyPair key(String label) {
        return Keys.fromSeed(Hash.sha256(Bytes.utf8(label)).toByteArray());
    }
}
