package io.pel.referral;

import io.pel.core.Outcome;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.BlockListener;
import io.pel.ledger.node.CommittedBlock;
import io.pel.ledger.node.TxResult;
import io.pel.referral.ReferralEvent.*;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Views derived from committed blocks, never written by transactions: per campaign, the leaderboard (earned
 * amount of paid and held rewards), funnels (clicks → sign-ups → conversions, per channel and per referrer), the
 * viral coefficient, time to reward, the review queue, badges, and the participants who never shared.
 *
 * <p>A pure fold over the successful referral calls' events in chain order: views fed the same blocks are equal
 * ({@link #snapshot}), however they were fed — live as a {@link BlockListener}, or rebuilt from scratch with
 * {@code node.replayCommitted(0, views)}. Thread-safe: one writer (the node's producer thread) and any number of
 * readers; every query returns immutable records.
 */
public final class ReferralViews implements BlockListener {

    /** One leaderboard row: 1-based rank, the account, its earned amount. */
    public record Ranked(int rank, AccountId account, long score) {
    }

    /** Clicks → sign-ups (attributed, not blocked) → conversions. */
    public record FunnelCounts(long clicks, long signUps, long conversions) {
        static final FunnelCounts ZERO = new FunnelCounts(0, 0, 0);

        FunnelCounts plus(long c, long s, long v) {
            return new FunnelCounts(clicks + c, signUps + s, conversions + v);
        }
    }

    /** A campaign's funnel in total and per channel (channels sorted). */
    public record Funnel(FunnelCounts total, Map<String, FunnelCounts> byChannel) {
    }

    /** From a referee's sign-up to its referrer's reward being paid: count, mean, median and maximum, in ms. */
    public record TimeToReward(long count, long meanMillis, long medianMillis, long maxMillis) {
    }

    /** A reward waiting for an admin. */
    public record Review(RewardId reward, AccountId to, RewardKind kind, long amount, Flag reason) {
    }

    /** Everything the views derive for one campaign, in a canonical order: what the equality checks compare. */
    public record CampaignSnapshot(List<Ranked> leaderboard, Funnel funnel, Map<AccountId, FunnelCounts> byReferrer,
                                   long participants, long blockedSignUps, TimeToReward timeToReward,
                                   List<Review> reviewQueue, Map<AccountId, List<String>> badges,
                                   List<AccountId> nonParticipants, long height) {
    }

    private static final class RewardState {
        final String campaign;
        final AccountId to;
        final AccountId referee;
        final RewardSource source;
        final CampaignRules.Reward value;
        RewardStatus status;
        Optional<Flag> flag;

        RewardState(RewardGranted g) {
            campaign = g.campaign();
            to = g.to();
            referee = g.referee();
            source = g.source();
            value = g.value();
            status = g.status();
            flag = g.flag();
        }
    }

    private record ScoreKey(long score, AccountId account) {
    }

    private static final Comparator<ScoreKey> BY_SCORE =
            Comparator.comparingLong(ScoreKey::score).reversed().thenComparing(ScoreKey::account);

    private static final class CampaignView {
        final Map<AccountId, String> codeOf = new TreeMap<>();
        final Map<AccountId, Long> scores = new HashMap<>();
        final TreeSet<ScoreKey> ranking = new TreeSet<>(BY_SCORE);
        final Map<String, FunnelCounts> byChannel = new TreeMap<>();
        final Map<AccountId, FunnelCounts> byReferrer = new TreeMap<>();
        final Map<AccountId, Long> signedUpAt = new HashMap<>();
        final Map<AccountId, String> refereeChannel = new HashMap<>();
        final Set<AccountId> shared = new java.util.HashSet<>();
        final Map<RewardId, RewardState> review = new TreeMap<>();
        final Map<AccountId, List<String>> badges = new TreeMap<>();
        final List<Long> rewardTimes = new ArrayList<>();
        long blocked;

        void score(AccountId a, long delta) {
            long old = scores.getOrDefault(a, 0L);
            ranking.remove(new ScoreKey(old, a));
            long next = old + delta;
            scores.put(a, next);
            ranking.add(new ScoreKey(next, a));
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, CampaignView> campaigns = new TreeMap<>();
    private final Map<RewardId, RewardState> rewards = new HashMap<>();
    private final Map<AccountId, List<RewardId>> rewardsByAccount = new HashMap<>();
    private long height = -1;

    @Override
    public void committed(CommittedBlock block) {
        List<SignedTransaction> txs = block.block().transactions();
        List<Bytes> outputs = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            Bytes out = null;
            if (txs.get(i).payload() instanceof Payload.Call c && c.app() == ReferralApp.ID
                    && block.outcomes().get(i) instanceof Outcome.Success<TxResult> s && s.output().succeeded()) {
                out = s.output().output();
            }
            outputs.add(out);
        }
        fold(block.height(), block.block().header().timestampMillis(), outputs);
    }

    /**
     * Folds one block: the outputs of its transactions in order, {@code null} for those that are not successful
     * referral calls. For engine-level runs (the bench, tests) that have no {@link CommittedBlock}.
     */
    public void fold(long blockHeight, long timestampMillis, List<Bytes> outputs) {
        lock.writeLock().lock();
        try {
            for (Bytes out : outputs) {
                if (out != null) {
                    for (ReferralEvent e : ReferralBlocks.events(out)) {
                        apply(e, timestampMillis);
                    }
                }
            }
            height = blockHeight;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private CampaignView view(String campaign) {
        return campaigns.computeIfAbsent(campaign, c -> new CampaignView());
    }

    private void apply(ReferralEvent event, long now) {
        switch (event) {
            case CampaignChanged e -> view(e.campaign());
            case Joined e -> view(e.campaign()).codeOf.put(e.participant(), e.code());
            case Clicked e -> {
                CampaignView v = view(e.campaign());
                v.byChannel.merge(e.channel(), FunnelCounts.ZERO.plus(1, 0, 0), ReferralViews::sum);
                v.byReferrer.merge(e.referrer(), FunnelCounts.ZERO.plus(1, 0, 0), ReferralViews::sum);
                v.shared.add(e.referrer());
            }
            case SignedUp e -> {
                CampaignView v = view(e.campaign());
                v.byChannel.merge(e.channel(), FunnelCounts.ZERO.plus(0, 1, 0), ReferralViews::sum);
                v.byReferrer.merge(e.referrer(), FunnelCounts.ZERO.plus(0, 1, 0), ReferralViews::sum);
                v.signedUpAt.put(e.referee(), now);
                v.refereeChannel.put(e.referee(), e.channel());
                v.shared.add(e.referrer());
            }
            case SignUpBlocked e -> {
                CampaignView v = view(e.campaign());
                v.blocked++;
                v.shared.add(e.referrer());
            }
            case Converted e -> {
                CampaignView v = view(e.campaign());
                v.byChannel.merge(v.refereeChannel.getOrDefault(e.referee(), "unknown"),
                        FunnelCounts.ZERO.plus(0, 0, 1), ReferralViews::sum);
                v.byReferrer.merge(e.referrer(), FunnelCounts.ZERO.plus(0, 0, 1), ReferralViews::sum);
            }
            case RewardGranted e -> {
                RewardState r = new RewardState(e);
                rewards.put(e.reward(), r);
                rewardsByAccount.computeIfAbsent(e.to(), a -> new ArrayList<>()).add(e.reward());
                entered(r, e.reward(), null, now);
            }
            case RewardChanged e -> {
                RewardState r = rewards.get(e.reward());
                if (r != null) {
                    RewardStatus from = r.status;
                    r.status = e.status();
                    entered(r, e.reward(), from, now);
                }
            }
            case MilestoneReached e -> view(e.campaign()).badges
                    .computeIfAbsent(e.referrer(), a -> new ArrayList<>()).add(e.badge());
            case ReporterChanged e -> { }
            case BlocklistChanged e -> { }
            case EventIgnored e -> { }
            case BudgetExhausted e -> { }
            case Redeemed e -> { }
        }
    }

    /** A reward moved from {@code from} (null: just granted) to its current status. */
    private void entered(RewardState r, RewardId id, RewardStatus from, long now) {
        CampaignView v = view(r.campaign);
        boolean wasEarned = from == RewardStatus.PAID || from == RewardStatus.HELD;
        boolean isEarned = r.status == RewardStatus.PAID || r.status == RewardStatus.HELD;
        if (wasEarned != isEarned) {
            v.score(r.to, isEarned ? r.value.amount() : -r.value.amount());
        }
        if (r.status == RewardStatus.PENDING_REVIEW) {
            v.review.put(id, r);
        } else {
            v.review.remove(id);
        }
        if (r.status == RewardStatus.PAID && r.source == RewardSource.REFERRER) {
            Long at = v.signedUpAt.get(r.referee);
            if (at != null) {
                v.rewardTimes.add(now - at);
            }
        }
    }

    private static FunnelCounts sum(FunnelCounts a, FunnelCounts b) {
        return a.plus(b.clicks(), b.signUps(), b.conversions());
    }

    // ---- queries ----

    /** The height of the last block folded; −1 before the first. */
    public long height() {
        lock.readLock().lock();
        try {
            return height;
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<String> campaigns() {
        lock.readLock().lock();
        try {
            return List.copyOf(campaigns.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The top {@code n} of a campaign's leaderboard: highest earned first, ties by account id. */
    public List<Ranked> leaderboard(String campaign, int n) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            if (v == null) {
                return List.of();
            }
            List<Ranked> out = new ArrayList<>();
            int rank = 1;
            for (ScoreKey k : v.ranking) {
                if (rank > n || k.score() <= 0) {
                    break;
                }
                out.add(new Ranked(rank++, k.account(), k.score()));
            }
            return List.copyOf(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A participant's place on the leaderboard, if it has earned anything. */
    public Optional<Ranked> rank(String campaign, AccountId account) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            Long score = v == null ? null : v.scores.get(account);
            if (score == null || score <= 0) {
                return Optional.empty();
            }
            int rank = v.ranking.headSet(new ScoreKey(score, account)).size() + 1;
            return Optional.of(new Ranked(rank, account, score));
        } finally {
            lock.readLock().unlock();
        }
    }

    public Funnel funnel(String campaign) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            if (v == null) {
                return new Funnel(FunnelCounts.ZERO, Map.of());
            }
            FunnelCounts total = FunnelCounts.ZERO;
            for (FunnelCounts f : v.byChannel.values()) {
                total = sum(total, f);
            }
            return new Funnel(total, Map.copyOf(v.byChannel));
        } finally {
            lock.readLock().unlock();
        }
    }

    public FunnelCounts referrerFunnel(String campaign, AccountId referrer) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            return v == null ? FunnelCounts.ZERO : v.byReferrer.getOrDefault(referrer, FunnelCounts.ZERO);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Attributed sign-ups per participant who joined: how many new users each brings in. */
    public double viralCoefficient(String campaign) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            if (v == null || v.codeOf.isEmpty()) {
                return 0;
            }
            long signUps = v.byChannel.values().stream().mapToLong(FunnelCounts::signUps).sum();
            return (double) signUps / v.codeOf.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public TimeToReward timeToReward(String campaign) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            if (v == null || v.rewardTimes.isEmpty()) {
                return new TimeToReward(0, 0, 0, 0);
            }
            List<Long> sorted = new ArrayList<>(v.rewardTimes);
            sorted.sort(null);
            long total = 0;
            for (long t : sorted) {
                total += t;
            }
            return new TimeToReward(sorted.size(), total / sorted.size(), sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() - 1));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Open flagged rewards, by reward id. */
    public List<Review> reviewQueue(String campaign) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            if (v == null) {
                return List.of();
            }
            List<Review> out = new ArrayList<>();
            v.review.forEach((id, r) -> out.add(new Review(id, r.to, r.value.kind(), r.value.amount(),
                    r.flag.orElse(Flag.MANUAL_APPROVAL))));
            return List.copyOf(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<String> badges(String campaign, AccountId account) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            return v == null ? List.of() : List.copyOf(v.badges.getOrDefault(account, List.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The ids of every reward {@code account} was granted, in grant order: its reward history's index. */
    public List<RewardId> rewardIds(AccountId account) {
        lock.readLock().lock();
        try {
            return List.copyOf(rewardsByAccount.getOrDefault(account, List.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Participants who joined but whose code was never clicked nor used to sign up: they never shared. */
    public List<AccountId> nonParticipants(String campaign) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            if (v == null) {
                return List.of();
            }
            return v.codeOf.keySet().stream().filter(a -> !v.shared.contains(a)).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Everything derived for {@code campaign}, for comparisons (e.g. incremental against rebuilt). */
    public CampaignSnapshot snapshot(String campaign) {
        lock.readLock().lock();
        try {
            CampaignView v = campaigns.get(campaign);
            Map<AccountId, List<String>> badges = new TreeMap<>();
            Map<AccountId, FunnelCounts> byReferrer = new TreeMap<>();
            long participants = 0;
            long blocked = 0;
            if (v != null) {
                v.badges.forEach((a, b) -> badges.put(a, List.copyOf(b)));
                byReferrer.putAll(v.byReferrer);
                participants = v.codeOf.size();
                blocked = v.blocked;
            }
            return new CampaignSnapshot(leaderboard(campaign, Integer.MAX_VALUE), funnel(campaign),
                    Map.copyOf(byReferrer), participants, blocked, timeToReward(campaign), reviewQueue(campaign),
                    Map.copyOf(badges), nonParticipants(campaign), height);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Snapshots of every campaign. */
    public Map<String, CampaignSnapshot> snapshot() {
        lock.readLock().lock();
        try {
            Map<String, CampaignSnapshot> out = new TreeMap<>();
            for (String c : new LinkedHashSet<>(campaigns.keySet())) {
                out.put(c, snapshot(c));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }
}
