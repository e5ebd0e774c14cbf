package io.pel.referral;

import static io.pel.referral.ReferralFailures.*;

import io.pel.core.TxContext;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.CallContext;
import io.pel.ledger.node.StateLayout;
import io.pel.ledger.node.TxFailure;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.CampaignRules.Tier;
import io.pel.referral.CampaignRules.Trigger;
import io.pel.referral.ReferralCall.*;
import io.pel.referral.ReferralEvent.*;
import io.pel.referral.ReferralState.Campaign;
import io.pel.referral.ReferralState.CodeOwner;
import io.pel.referral.ReferralState.EventKind;
import io.pel.referral.ReferralState.EventRecord;
import io.pel.referral.ReferralState.Link;
import io.pel.referral.ReferralState.Participant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The referral program's rules: what each call reads, decides and writes. A pure function of the call, the
 * {@link CallContext} and the state read through it — it runs inside the engine, possibly several times.
 *
 * <p>Concurrency shape: campaign rules, reporters, codes and the blocklist are read-mostly; every per-event key
 * (event id, link, reward record) is written once; balances, counts and spend are counters. Decisions that depend
 * on a counter use {@code tryAdd} (budget, cap, velocity, milestones) rather than an exact read, so they conflict
 * only when needed (and, with a bound-aware engine, only near the bound).
 */
final class ReferralProgram {

    private static final byte[] PRESENT = {1};
    /**
     * Milestone progress is kept per tier index (a countdown per referrer and index, counting conversions since
     * that index existed). Tiers cross one at a time, except after an update lowers the thresholds of existing
     * indexes below a referrer's progress; then the crossed tiers are granted at most this many per conversion (the
     * rest on the next ones), so a call's events always fit a receipt
     * ({@link io.pel.ledger.node.TxResult#MAX_OUTPUT_BYTES}).
     */
    static final int MAX_MILESTONES_PER_CONVERSION = 2;

    private final boolean delta;

    ReferralProgram(ReferralOptions options) {
        this.delta = options.deltaCounters();
    }

    Bytes execute(ReferralCall call, CallContext ctx) throws TxFailure {
        Run run = new Run(ctx);
        switch (call) {
            case CreateCampaign c -> run.create(c);
            case UpdateCampaign c -> run.update(c);
            case PauseCampaign c -> run.pause(c.campaign(), true);
            case ResumeCampaign c -> run.pause(c.campaign(), false);
            case AuthorizeReporter c -> run.reporter(c.campaign(), c.reporter(), true);
            case RevokeReporter c -> run.reporter(c.campaign(), c.reporter(), false);
            case BlocklistAdd c -> run.blocklist(c.pattern(), true);
            case BlocklistRemove c -> run.blocklist(c.pattern(), false);
            case Join c -> run.join(c);
            case Click c -> run.click(c);
            case SignUp c -> run.signUp(c);
            case Qualify c -> run.qualify(c);
            case Refund c -> run.refund(c);
            case Approve c -> run.approve(c.reward(), c.note());
            case Reject c -> run.reject(c.reward(), c.note());
            case ClawBack c -> run.clawBackByAdmin(c.reward(), c.note());
            case Release c -> run.release(c.rewards());
            case Redeem c -> run.redeem(c);
        }
        return ReferralEvents.encode(run.events);
    }

    /** One call's run: its context and the events it produced so far. */
    private final class Run {
        final CallContext ctx;
        final TxContext<Bytes, Bytes> s;
        final long now;
        final List<ReferralEvent> events = new ArrayList<>();
        int rewardIndex;

        Run(CallContext ctx) {
            this.ctx = ctx;
            this.s = ctx.state();
            this.now = ctx.block().timestampMillis();
        }

        // ---- admin ----

        void requireAdmin() throws TxFailure {
            if (!ctx.senderIsAdmin()) {
                throw new TxFailure(NOT_AUTHORIZED, "only the chain's administrator may do this");
            }
        }

        void create(CreateCampaign c) throws TxFailure {
            requireAdmin();
            if (s.read(ReferralKeys.campaign(c.campaign())) != null) {
                throw new TxFailure(CAMPAIGN_EXISTS, "campaign " + c.campaign() + " exists");
            }
            writeCampaign(c.campaign(), new Campaign(1, false, c.rules()));
            s.write(ReferralKeys.rulesVersion(c.campaign(), 1), ReferralCodec.encodeRules(c.rules()));
            events.add(new CampaignChanged(c.campaign(), 1, CampaignChange.CREATED));
        }

        void update(UpdateCampaign c) throws TxFailure {
            requireAdmin();
            Campaign old = campaign(c.campaign());
            int version = old.version() + 1;
            writeCampaign(c.campaign(), new Campaign(version, old.paused(), c.rules()));
            s.write(ReferralKeys.rulesVersion(c.campaign(), version), ReferralCodec.encodeRules(c.rules()));
            events.add(new CampaignChanged(c.campaign(), version, CampaignChange.UPDATED));
        }

        void pause(String id, boolean pause) throws TxFailure {
            requireAdmin();
            Campaign old = campaign(id);
            if (old.paused() == pause) {
                throw new TxFailure(pause ? ALREADY_PAUSED : NOT_PAUSED, "campaign " + id + " is "
                        + (pause ? "already paused" : "not paused"));
            }
            writeCampaign(id, new Campaign(old.version(), pause, old.rules()));
            events.add(new CampaignChanged(id, old.version(), pause ? CampaignChange.PAUSED : CampaignChange.RESUMED));
        }

        void reporter(String id, AccountId reporter, boolean authorize) throws TxFailure {
            requireAdmin();
            campaign(id);
            Bytes key = ReferralKeys.reporter(id, reporter);
            if (authorize) {
                s.write(key, Bytes.of(PRESENT));
            } else {
                if (s.read(key) == null) {
                    throw new TxFailure(REPORTER_NOT_FOUND, "not a reporter of " + id + ": " + reporter);
                }
                s.delete(key);
            }
            events.add(new ReporterChanged(id, reporter, authorize));
        }

        void blocklist(Blocklist.Pattern p, boolean add) throws TxFailure {
            requireAdmin();
            Blocklist list = blocklist();
            if (add) {
                if (list.contains(p)) {
                    throw new TxFailure(PATTERN_EXISTS, "already blocklisted: " + p.pattern());
                }
                if (list.patterns().size() >= Blocklist.MAX_PATTERNS) {
                    throw new TxFailure(BLOCKLIST_FULL, "the blocklist holds " + Blocklist.MAX_PATTERNS + " patterns");
                }
                list = list.with(p);
            } else {
                if (!list.contains(p)) {
                    throw new TxFailure(PATTERN_NOT_FOUND, "not blocklisted: " + p.pattern());
                }
                list = list.without(p);
            }
            s.write(ReferralKeys.blocklist(), ReferralCodec.encodeBlocklist(list));
            events.add(new BlocklistChanged(p, add));
        }

        // ---- participants ----

        void join(Join j) throws TxFailure {
            running(j.campaign());
            AccountId me = ctx.sender();
            Bytes pkey = ReferralKeys.participant(j.campaign(), me);
            if (s.read(pkey) != null) {
                throw new TxFailure(ALREADY_JOINED, "already a participant of " + j.campaign());
            }
            String code = ReferralCode.derive(j.campaign(), me, ctx.txHash(), ReferralCode.LENGTH);
            if (s.read(ReferralKeys.code(code)) != null) {
                code = ReferralCode.derive(j.campaign(), me, ctx.txHash(), ReferralCode.LONG_LENGTH);
                if (s.read(ReferralKeys.code(code)) != null) {
                    throw new TxFailure(CODE_COLLISION, "no free referral code for this join; send it again");
                }
            }
            s.write(ReferralKeys.code(code), ReferralCodec.encodeCodeOwner(new CodeOwner(j.campaign(), me)));
            s.write(pkey, ReferralCodec.encodeParticipant(new Participant(code, j.channel(), now)));
            events.add(new Joined(j.campaign(), me, code, j.channel()));
        }

        void redeem(Redeem r) throws TxFailure {
            campaign(r.campaign());
            AccountId me = ctx.sender();
            if (r.points() > 0) {
                if (!tryAdd(ReferralKeys.points(r.campaign(), me), -r.points(), 0, Long.MAX_VALUE)) {
                    throw new TxFailure(INSUFFICIENT_POINTS, "fewer than " + r.points() + " redeemable points");
                }
            } else if (!tryAdd(ReferralKeys.perk(r.campaign(), me, r.perk()), -1, 0, Long.MAX_VALUE)) {
                throw new TxFailure(NO_SUCH_PERK, "no unclaimed perk '" + r.perk() + "'");
            }
            events.add(new Redeemed(r.campaign(), me, r.points(), r.perk()));
        }

        // ---- events ----

        void click(Click c) throws TxFailure {
            running(c.campaign());
            requireReporter(c.campaign());
            newEvent(c.campaign(), c.eventId());
            CodeOwner owner = acceptedCode(c.campaign(), c.code());
            add(ReferralKeys.clicks(c.campaign(), c.code()), 1);
            add(ReferralKeys.channelClicks(c.campaign(), c.channel()), 1);
            s.write(ReferralKeys.event(c.campaign(), c.eventId()), ReferralCodec.encodeEvent(
                    new EventRecord(EventKind.CLICK, Optional.empty(), List.of(), false)));
            events.add(new Clicked(c.campaign(), c.code(), owner.owner(), c.channel()));
        }

        void signUp(SignUp su) throws TxFailure {
            String cid = su.campaign();
            Campaign campaign = running(cid);
            requireReporter(cid);
            newEvent(cid, su.eventId());
            AccountId referrer = acceptedCode(cid, su.code()).owner();
            AccountId referee = su.referee();
            if (s.read(ReferralKeys.link(cid, referee)) != null) {
                throw new TxFailure(ALREADY_REFERRED, "the referee already signed up through a referral in " + cid);
            }
            List<RewardId> rewards = new ArrayList<>();
            Optional<Flag> blocked = blockingRule(cid, referrer, referee);
            if (blocked.isPresent()) {
                events.add(new SignUpBlocked(cid, referrer, referee, su.channel(), blocked.get()));
            } else {
                Optional<Flag> flag = flaggingRule(cid, campaign.rules(), referrer, su);
                Link link = new Link(referrer, cid, su.channel(), now, flag);
                s.write(ReferralKeys.link(cid, referee), ReferralCodec.encodeLink(link));
                add(ReferralKeys.signUps(cid, referrer), 1);
                add(ReferralKeys.channelSignUps(cid, su.channel()), 1);
                events.add(new SignedUp(cid, referrer, referee, su.channel(), flag));
                if (campaign.rules().trigger() instanceof Trigger.SignUp) {
                    convert(cid, campaign, referee, link, 0, su.eventId(), rewards);
                }
            }
            s.write(ReferralKeys.event(cid, su.eventId()), ReferralCodec.encodeEvent(
                    new EventRecord(EventKind.SIGN_UP, Optional.of(referee), rewards, false)));
        }

        void qualify(Qualify q) throws TxFailure {
            String cid = q.campaign();
            Campaign campaign = running(cid);
            requireReporter(cid);
            newEvent(cid, q.eventId());
            List<RewardId> rewards = new ArrayList<>();
            Link link = link(cid, q.referee());
            IgnoredReason ignored = null;
            if (link == null) {
                ignored = IgnoredReason.NOT_REFERRED;
            } else if (!(campaign.rules().trigger() instanceof Trigger.Qualifying t) || !t.event().equals(q.event())) {
                ignored = IgnoredReason.NOT_QUALIFYING;
            } else if (q.amount() < t.minAmount()) {
                ignored = IgnoredReason.BELOW_MINIMUM;
            } else if (t.firstOnly() && s.read(ReferralKeys.converted(cid, q.referee())) != null) {
                ignored = IgnoredReason.ALREADY_CONVERTED;
            } else {
                if (t.firstOnly()) {
                    s.write(ReferralKeys.converted(cid, q.referee()), Bytes.of(PRESENT));
                }
                convert(cid, campaign, q.referee(), link, q.amount(), q.eventId(), rewards);
            }
            if (ignored != null) {
                events.add(new EventIgnored(cid, q.referee(), ignored));
            }
            s.write(ReferralKeys.event(cid, q.eventId()), ReferralCodec.encodeEvent(
                    new EventRecord(EventKind.QUALIFY, Optional.of(q.referee()), rewards, false)));
        }

        void refund(Refund r) throws TxFailure {
            campaign(r.campaign());
            requireReporter(r.campaign());
            Bytes key = ReferralKeys.event(r.campaign(), r.eventId());
            EventRecord rec = decode(s.read(key), ReferralCodec::decodeEvent);
            if (rec == null) {
                throw new TxFailure(EVENT_NOT_FOUND, "no event " + r.eventId() + " in " + r.campaign());
            }
            if (rec.refunded()) {
                throw new TxFailure(ALREADY_REFUNDED, "event " + r.eventId() + " was already refunded");
            }
            for (RewardId id : rec.rewards()) {
                RewardRecord reward = reward(id);
                if (reward.status().live()) {
                    clawBack(reward, "refund of " + r.eventId());
                }
            }
            s.write(key, ReferralCodec.encodeEvent(new EventRecord(rec.kind(), rec.referee(), rec.rewards(), true)));
        }

        // ---- review and payout ----

        void approve(RewardId id, String note) throws TxFailure {
            requireAdmin();
            RewardRecord r = reward(id);
            requireStatus(r, RewardStatus.PENDING_REVIEW);
            RewardStatus next = now >= r.holdUntil() ? RewardStatus.PAID : RewardStatus.HELD;
            if (next == RewardStatus.PAID) {
                credit(r, 1);
            }
            change(r, next, note, RewardChange.APPROVED);
        }

        void reject(RewardId id, String note) throws TxFailure {
            requireAdmin();
            RewardRecord r = reward(id);
            requireStatus(r, RewardStatus.PENDING_REVIEW);
            releaseBudget(r);
            change(r, RewardStatus.REJECTED, note, RewardChange.REJECTED);
        }

        void clawBackByAdmin(RewardId id, String note) throws TxFailure {
            requireAdmin();
            RewardRecord r = reward(id);
            if (!r.status().live()) {
                throw new TxFailure(INVALID_STATUS, "reward " + id + " is " + r.status() + ": nothing to claw back");
            }
            clawBack(r, note);
        }

        void release(List<RewardId> ids) throws TxFailure {
            for (RewardId id : ids) {
                RewardRecord r = reward(id);
                requireStatus(r, RewardStatus.HELD);
                if (now < r.holdUntil()) {
                    throw new TxFailure(STILL_HELD, "reward " + id + " is held until " + r.holdUntil());
                }
                credit(r, 1);
                change(r, RewardStatus.PAID, r.note(), RewardChange.RELEASED);
            }
        }

        // ---- the rules ----

        /** Self-referral and cycles: walk up the referrer's chain of links (the graph stays a forest). */
        Optional<Flag> blockingRule(String cid, AccountId referrer, AccountId referee) {
            if (referrer.equals(referee)) {
                return Optional.of(Flag.SELF_REFERRAL);
            }
            AccountId at = referrer;
            for (int i = 0; i < ReferralApp.MAX_CHAIN_WALK; i++) {
                Link up = link(cid, at);
                if (up == null) {
                    return Optional.empty();
                }
                if (up.referrer().equals(referee)) {
                    return Optional.of(Flag.REFERRAL_CYCLE);
                }
                at = up.referrer();
            }
            return Optional.of(Flag.CHAIN_TOO_DEEP);
        }

        /**
         * The flagging rules, all evaluated (each records what it saw: fingerprints, e-mails and velocity count
         * whether or not another rule flags); the first that fires, in {@link Flag} order, is the reason.
         */
        Optional<Flag> flaggingRule(String cid, CampaignRules rules, AccountId referrer, SignUp su) {
            List<Flag> fired = new ArrayList<>(2);
            CampaignRules.FraudPolicy policy = rules.fraud();
            if (policy.uniqueFingerprint()) {
                if (!markOnce(ReferralKeys.fingerprint(cid, su.fingerprint()))) {
                    fired.add(Flag.DUPLICATE_FINGERPRINT);
                }
                if (!markOnce(ReferralKeys.email(cid, su.emailHash()))) {
                    fired.add(Flag.DUPLICATE_EMAIL);
                }
            }
            if (policy.velocityLimit() > 0) {
                long window = now / policy.velocityWindowMillis();
                if (!tryAdd(ReferralKeys.velocity(cid, referrer, window), 1, 0, policy.velocityLimit())) {
                    fired.add(Flag.VELOCITY);
                }
            }
            if (policy.useBlocklist() && blocklist().match(su.emailDomain(), su.emailHash(), su.fingerprint())
                    .isPresent()) {
                fired.add(Flag.BLOCKLISTED);
            }
            if (policy.blockDisposableEmail() && DisposableDomains.isDisposable(su.emailDomain())) {
                fired.add(Flag.DISPOSABLE_EMAIL);
            }
            return fired.stream().min(Enum::compareTo);
        }

        /** A conversion: the referrer's, referee's and upline's rewards, then milestones. */
        void convert(String cid, Campaign campaign, AccountId referee, Link link, long amount, String eventId,
                     List<RewardId> rewards) {
            CampaignRules rules = campaign.rules();
            Optional<Flag> flag = link.flag();
            AccountId referrer = link.referrer();
            events.add(new Converted(cid, referrer, referee, amount));
            Grant g = new Grant(cid, campaign, referee, eventId, rewards);
            if (!rules.referrerReward().isNone()) {
                g.grant(referrer, RewardSource.REFERRER, 0, rules.referrerReward(), flag);
            }
            if (!rules.refereeReward().isNone()) {
                g.grant(referee, RewardSource.REFEREE, 0, rules.refereeReward(), flag);
            }
            AccountId at = referrer;
            for (int level = 1; level <= rules.shareBps().size(); level++) {
                Link up = link(cid, at);
                if (up == null) {
                    break;
                }
                long share = rules.referrerReward().amount() * rules.shareBps().get(level - 1) / 10_000;
                if (share > 0) {
                    g.grant(up.referrer(), RewardSource.SHARE, level,
                            new Reward(rules.referrerReward().kind(), share, ""), flag);
                }
                at = up.referrer();
            }
            if (flag.isEmpty()) {
                add(ReferralKeys.referrals(cid, referrer), 1);
                List<Tier> tiers = rules.tiers();
                int granted = 0;
                for (int i = 0; i < tiers.size() && granted < MAX_MILESTONES_PER_CONVERSION; i++) {
                    Tier tier = tiers.get(i);
                    // Counts down to the tier: the add is refused exactly from the tier's conversion on, and the
                    // written flag makes the first refusal the only grant.
                    if (tryAdd(ReferralKeys.tierCountdown(cid, referrer, i), 1, 0, tier.referrals() - 1)) {
                        continue;
                    }
                    Bytes ms = ReferralKeys.milestone(cid, referrer, i);
                    if (s.read(ms) != null) {
                        continue;
                    }
                    s.write(ms, Bytes.of(PRESENT));
                    granted++;
                    events.add(new MilestoneReached(cid, referrer, i, tier.name(), tier.badge()));
                    if (!tier.bonus().isNone()) {
                        g.grant(referrer, RewardSource.MILESTONE, i, tier.bonus(), Optional.empty());
                    }
                }
            }
        }

        /** Grants the rewards of one event. */
        final class Grant {
            final String cid;
            final Campaign campaign;
            final AccountId referee;
            final String eventId;
            final List<RewardId> ids;

            Grant(String cid, Campaign campaign, AccountId referee, String eventId, List<RewardId> ids) {
                this.cid = cid;
                this.campaign = campaign;
                this.referee = referee;
                this.eventId = eventId;
                this.ids = ids;
            }

            void grant(AccountId to, RewardSource source, int level, Reward reward, Optional<Flag> flag) {
                CampaignRules rules = campaign.rules();
                RewardId id = RewardId.derive(ctx.txHash(), rewardIndex++);
                long amount = reward.amount();
                Bytes earned = ReferralKeys.earned(cid, to);
                boolean capped = false;
                if (source.asReferrer()) {
                    if (rules.perReferrerCap() > 0) {
                        capped = !tryAdd(earned, amount, 0, rules.perReferrerCap());
                    } else {
                        add(earned, amount);
                    }
                }
                RewardStatus status;
                Optional<Flag> reason = Optional.empty();
                if (capped) {
                    status = RewardStatus.CAPPED;
                } else if (!tryAdd(ReferralKeys.spend(cid), amount, 0, rules.budget())) {
                    if (source.asReferrer()) {
                        add(earned, -amount);
                    }
                    status = RewardStatus.BUDGET_EXHAUSTED;
                    events.add(new BudgetExhausted(cid, id));
                } else if (flag.isPresent()) {
                    status = RewardStatus.PENDING_REVIEW;
                    reason = flag;
                } else if (rules.manualApproval()) {
                    status = RewardStatus.PENDING_REVIEW;
                    reason = Optional.of(Flag.MANUAL_APPROVAL);
                } else if (rules.holdMillis() > 0) {
                    status = RewardStatus.HELD;
                } else {
                    status = RewardStatus.PAID;
                }
                long holdUntil = now + rules.holdMillis();
                RewardRecord r = new RewardRecord(id, cid, campaign.version(), to, source, level, reward, referee,
                        eventId, status, now, holdUntil, reason, "");
                if (status == RewardStatus.PAID) {
                    credit(r, 1);
                }
                writeReward(r);
                s.write(ReferralKeys.rewardIndex(id), Bytes.of(to.toByteArray()));
                ids.add(id);
                events.add(new RewardGranted(id, cid, to, referee, source, level, reward, status, holdUntil, reason));
            }
        }

        void clawBack(RewardRecord r, String note) {
            if (r.status() == RewardStatus.PAID) {
                credit(r, -1);
            }
            releaseBudget(r);
            change(r, RewardStatus.CLAWED_BACK, note, RewardChange.CLAWED_BACK);
        }

        void releaseBudget(RewardRecord r) {
            add(ReferralKeys.spend(r.campaign()), -r.reward().amount());
            if (r.source().asReferrer()) {
                add(ReferralKeys.earned(r.campaign(), r.to()), -r.reward().amount());
            }
        }

        /**
         * Adds (sign +1) or takes back (−1) a reward from its recipient's balance. A claw-back of spent points
         * leaves the balance negative: a debt later rewards pay off.
         */
        void credit(RewardRecord r, int sign) {
            long amount = sign * r.reward().amount();
            Bytes key = switch (r.reward().kind()) {
                case POINTS -> ReferralKeys.points(r.campaign(), r.to());
                case CREDIT -> ReferralKeys.credit(r.campaign(), r.to());
                case PERK -> ReferralKeys.perk(r.campaign(), r.to(), r.reward().perk());
            };
            add(key, amount);
        }

        void change(RewardRecord r, RewardStatus next, String note, RewardChange change) {
            writeReward(r.withStatus(next, note));
            events.add(new ReferralEvent.RewardChanged(r.id(), r.campaign(), r.to(), r.reward(), r.status(), next,
                    change));
        }

        // ---- state access ----

        Campaign campaign(String id) throws TxFailure {
            Campaign c = decode(s.read(ReferralKeys.campaign(id)), ReferralCodec::decodeCampaign);
            if (c == null) {
                throw new TxFailure(CAMPAIGN_NOT_FOUND, "no campaign " + id);
            }
            return c;
        }

        Campaign running(String id) throws TxFailure {
            Campaign c = campaign(id);
            if (c.paused()) {
                throw new TxFailure(CAMPAIGN_PAUSED, "campaign " + id + " is paused");
            }
            if (now < c.rules().startMillis() || now >= c.rules().endMillis()) {
                throw new TxFailure(CAMPAIGN_NOT_RUNNING, "campaign " + id + " runs from " + c.rules().startMillis()
                        + " to " + c.rules().endMillis() + ", not at " + now);
            }
            return c;
        }

        void writeCampaign(String id, Campaign c) {
            s.write(ReferralKeys.campaign(id), ReferralCodec.encodeCampaign(c));
        }

        void requireReporter(String cid) throws TxFailure {
            if (!ctx.senderIsAdmin() && s.read(ReferralKeys.reporter(cid, ctx.sender())) == null) {
                throw new TxFailure(NOT_REPORTER, "the sender may not report events for " + cid);
            }
        }

        void newEvent(String cid, String eventId) throws TxFailure {
            if (s.read(ReferralKeys.event(cid, eventId)) != null) {
                throw new TxFailure(DUPLICATE_EVENT, "event " + eventId + " was already reported for " + cid);
            }
        }

        CodeOwner acceptedCode(String cid, String code) throws TxFailure {
            CodeOwner owner = decode(s.read(ReferralKeys.code(code)), ReferralCodec::decodeCodeOwner);
            if (owner == null) {
                throw new TxFailure(UNKNOWN_CODE, "no referral code " + code);
            }
            if (!owner.campaign().equals(cid)) {
                Campaign c = campaign(cid);
                if (!c.rules().partners().contains(owner.campaign())) {
                    throw new TxFailure(CODE_NOT_ACCEPTED, "campaign " + cid + " does not accept codes of "
                            + owner.campaign());
                }
            }
            return owner;
        }

        Link link(String cid, AccountId referee) {
            return decode(s.read(ReferralKeys.link(cid, referee)), ReferralCodec::decodeLink);
        }

        Blocklist blocklist() {
            Blocklist b = decode(s.read(ReferralKeys.blocklist()), ReferralCodec::decodeBlocklist);
            return b == null ? Blocklist.EMPTY : b;
        }

        RewardRecord reward(RewardId id) throws TxFailure {
            Bytes owner = s.read(ReferralKeys.rewardIndex(id));
            if (owner == null) {
                throw new TxFailure(REWARD_NOT_FOUND, "no reward " + id);
            }
            return decode(s.read(ReferralKeys.reward(AccountId.of(owner.toByteArray()), id)),
                    ReferralCodec::decodeReward);
        }

        void writeReward(RewardRecord r) {
            s.write(ReferralKeys.reward(r.to(), r.id()), ReferralCodec.encodeReward(r));
        }

        void requireStatus(RewardRecord r, RewardStatus expected) throws TxFailure {
            if (r.status() != expected) {
                throw new TxFailure(INVALID_STATUS, "reward " + r.id() + " is " + r.status() + ", not " + expected);
            }
        }

        /** Writes a marker; whether it was absent. */
        boolean markOnce(Bytes key) {
            if (s.read(key) != null) {
                return false;
            }
            s.write(key, Bytes.of(PRESENT));
            return true;
        }

        void add(Bytes key, long d) {
            if (delta) {
                s.add(key, d);
            } else {
                s.write(key, StateLayout.encodeLong(s.readCounter(key) + d));
            }
        }

        boolean tryAdd(Bytes key, long d, long min, long max) {
            if (delta) {
                return s.tryAdd(key, d, min, max);
            }
            long v = s.readCounter(key);
            long next = v + d;
            if (((v ^ next) & (d ^ next)) < 0 || next < min || next > max) {
                return false;
            }
            s.write(key, StateLayout.encodeLong(next));
            return true;
        }
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(Bytes b) throws EncodingException;
    }

    /** Decodes a stored value; one that does not decode is a bug (only this program writes it), so it stops the block. */
    private static <T> T decode(Bytes value, Decoder<T> decoder) {
        if (value == null) {
            return null;
        }
        try {
            return decoder.decode(value);
        } catch (EncodingException e) {
            throw new IllegalStateException("stored referral state does not decode: " + e, e);
        }
    }
}
