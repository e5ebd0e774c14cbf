package io.pel.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.ParallelConfig;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.StateLayout;
import io.pel.referral.ReferralBlocks.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random referral blocks (the workload plus random admin decisions, retries and budget cuts): every
 * parallel executor equals the sequential one, read-then-write aggregates equal delta counters, and the derived
 * views equal what the state says.
 */
class ReferralProperties {

    private static final int SEEDS = 4;
    private static final int BLOCKS = 40;
    private static final int BLOCK_SIZE = 60;

    @Test
    void parallelEqualsSequentialAndViewsMatchTheState() throws Exception {
        List<BlockExecutor> parallel = List.of(
                BlockExecutor.parallel(ParallelConfig.defaults(1).withAdaptive(false)),
                BlockExecutor.parallel(ParallelConfig.defaults(2).withAdaptive(false)),
                BlockExecutor.parallel(ParallelConfig.defaults(4).withAdaptive(false)));
        ReferralApp readWrite = new ReferralApp(new ReferralOptions(false));
        int blocksChecked = 0;
        try (TestChain chain = new TestChain()) {
            for (int seed = 1; seed <= SEEDS; seed++) {
                chain.state.clear();
                runSeed(seed, chain, parallel, readWrite);
                blocksChecked += BLOCKS;
            }
        } finally {
            parallel.forEach(BlockExecutor::close);
        }
        assertThat(blocksChecked).isEqualTo(SEEDS * BLOCKS);
        assertThat(seen).contains("MilestoneReached", "BudgetExhausted", "RewardChanged", "Redeemed", "Clicked",
                "SELF_REFERRAL", "signup:DUPLICATE_FINGERPRINT", "signup:DISPOSABLE_EMAIL", "DUPLICATE_FINGERPRINT",
                "DISPOSABLE_EMAIL", "VELOCITY", "PAID", "PENDING_REVIEW",
                "BUDGET_EXHAUSTED", "DUPLICATE_EVENT", "INSUFFICIENT_POINTS", "CAMPAIGN_PAUSED");
    }

    private void runSeed(long seed, TestChain chain, List<BlockExecutor> parallel, ReferralApp readWrite)
            throws Exception {
        Random random = new Random(seed * 7919);
        ReferralWorkload workload = new ReferralWorkload(
                new ReferralWorkload.Config(seed, 120, 8, 1.1, 0.1), TestChain.ADMIN);
        ReferralViews views = new ReferralViews();
        var setup = chain.execute(workload.setup());
        chain.apply(setup);
        views.fold(chain.height - 1, chain.time - 1000, TestChain.outputs(setup.outcomes()));
        workload.useCodes(ReferralBlocks.codes(setup.outcomes()));
        List<Item> history = new ArrayList<>();
        for (int b = 0; b < BLOCKS; b++) {
            List<Item> items = new ArrayList<>(workload.nextBlock(BLOCK_SIZE));
            extras(random, items, history, views, chain);
            history.addAll(items);

            BlockResult<Bytes, Bytes, Bytes> expected = chain.execute(items);
            for (BlockExecutor executor : parallel) {
                var actual = runOn(chain, executor, chain.app, items);
                assertThat(actual.outcomes()).as("seed %d block %d, %d threads", seed, b, executor.threads())
                        .isEqualTo(expected.outcomes());
                assertThat(actual.writeSet()).as("seed %d block %d, %d threads", seed, b, executor.threads())
                        .isEqualTo(expected.writeSet());
            }
            var rw = runOn(chain, BlockExecutor.sequential(), readWrite, items);
            assertThat(rw.outcomes()).as("read-write aggregates, seed %d block %d", seed, b)
                    .isEqualTo(expected.outcomes());
            assertThat(rw.writeSet()).as("read-write aggregates, seed %d block %d", seed, b)
                    .isEqualTo(expected.writeSet());
            seen(expected.outcomes());
            chain.apply(expected);
            views.fold(chain.height - 1, chain.time - 1000, TestChain.outputs(expected.outcomes()));
        }
        viewsMatchState(chain, views);
    }

    private final java.util.Set<String> seen = new java.util.TreeSet<>();

    /** Records what the blocks exercised, so the test can check it exercised what it claims to. */
    private void seen(List<io.pel.core.Outcome<Bytes>> outcomes) {
        for (var o : outcomes) {
            if (o instanceof io.pel.core.Outcome.Success<Bytes> s) {
                for (ReferralEvent e : ReferralBlocks.events(s.output())) {
                    seen.add(e.getClass().getSimpleName());
                    if (e instanceof ReferralEvent.RewardGranted g) {
                        seen.add(g.status().name());
                        g.flag().ifPresent(f -> seen.add(f.name()));
                    }
                    if (e instanceof ReferralEvent.SignedUp su) {
                        su.flag().ifPresent(f -> seen.add("signup:" + f.name()));
                    }
                    if (e instanceof ReferralEvent.SignUpBlocked sb) {
                        seen.add(sb.reason().name());
                    }
                }
            } else {
                seen.add(TestChain.code(o));
            }
        }
    }

    private static BlockResult<Bytes, Bytes, Bytes> runOn(TestChain chain, BlockExecutor executor, ReferralApp app,
                                                          List<Item> items) {
        var info = new io.pel.ledger.node.BlockInfo(chain.height, chain.time);
        var txs = ReferralBlocks.transactions(app, items, java.util.Optional.of(TestChain.id(TestChain.ADMIN)), info);
        return executor.execute(txs, io.pel.core.BaseState.of(Map.copyOf(chain.state)), StateLayout.COUNTERS);
    }

    /** Random admin decisions on the review queue, retried events, releases and budget cuts, at random places. */
    private static void extras(Random random, List<Item> items, List<Item> history, ReferralViews views,
                               TestChain chain) {
        List<ReferralViews.Review> queue = views.reviewQueue(ReferralWorkload.CAMPAIGN);
        for (int i = 0; i < Math.min(3, queue.size()); i++) {
            RewardId id = queue.get(random.nextInt(queue.size())).reward();
            ReferralCall call = switch (random.nextInt(3)) {
                case 0 -> new ReferralCall.Approve(id, "ok");
                case 1 -> new ReferralCall.Reject(id, "no");
                default -> new ReferralCall.ClawBack(id, "later");
            };
            items.add(random.nextInt(items.size() + 1), new Item(TestChain.ADMIN, call));
        }
        if (!history.isEmpty() && random.nextInt(3) == 0) {
            items.add(random.nextInt(items.size() + 1), history.get(random.nextInt(history.size())));
        }
        if (random.nextInt(10) == 0) {
            CampaignRules rules = ReferralWorkload.benchRules();
            long spend = StateLayout.decodeLong(chain.state.get(ReferralKeys.ledgerKey(
                    ReferralKeys.spend(ReferralWorkload.CAMPAIGN))));
            // A budget just above what is spent, so it runs out inside the block.
            items.add(random.nextInt(items.size() + 1), new Item(TestChain.ADMIN, new ReferralCall.UpdateCampaign(
                    ReferralWorkload.CAMPAIGN, rules.withBudget(Math.max(1, spend + 300 + random.nextInt(500))))));
        }
        if (random.nextInt(8) == 0) {
            items.add(random.nextInt(items.size() + 1), new Item(TestChain.ADMIN,
                    random.nextBoolean() ? new ReferralCall.PauseCampaign(ReferralWorkload.CAMPAIGN)
                            : new ReferralCall.ResumeCampaign(ReferralWorkload.CAMPAIGN)));
        }
    }

    /** The leaderboard and review queue equal a recount of the reward records; channel funnels equal the counters. */
    private static void viewsMatchState(TestChain chain, ReferralViews views) throws EncodingException {
        String c = ReferralWorkload.CAMPAIGN;
        Bytes rewardPrefix = ReferralKeys.ledgerKey(Bytes.utf8("rw/"));
        Map<AccountId, Long> earned = new HashMap<>();
        Map<RewardId, Flag> pending = new TreeMap<>();
        for (var entry : chain.state.entrySet()) {
            if (startsWith(entry.getKey(), rewardPrefix)) {
                RewardRecord r = ReferralCodec.decodeReward(entry.getValue());
                if (r.status() == RewardStatus.PAID || r.status() == RewardStatus.HELD) {
                    earned.merge(r.to(), r.reward().amount(), Long::sum);
                }
                if (r.status() == RewardStatus.PENDING_REVIEW) {
                    pending.put(r.id(), r.flag().orElseThrow());
                }
            }
        }
        Map<AccountId, Long> board = new HashMap<>();
        views.leaderboard(c, Integer.MAX_VALUE).forEach(r -> board.put(r.account(), r.score()));
        earned.values().removeIf(v -> v == 0);
        assertThat(board).isEqualTo(earned);
        Map<RewardId, Flag> queue = new TreeMap<>();
        views.reviewQueue(c).forEach(r -> queue.put(r.reward(), r.reason()));
        assertThat(queue).isEqualTo(pending);
        views.funnel(c).byChannel().forEach((channel, counts) -> {
            assertThat(chain.counter(ReferralKeys.channelClicks(c, channel))).isEqualTo(counts.clicks());
            assertThat(chain.counter(ReferralKeys.channelSignUps(c, channel))).isEqualTo(counts.signUps());
        });
        assertThat(views.funnel(c).total().signUps()).isPositive();
        assertThat(views.leaderboard(c, 3)).isNotEmpty();
    }

    private static boolean startsWith(Bytes key, Bytes prefix) {
        if (key.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (key.get(i) != prefix.get(i)) {
                return false;
            }
        }
        return true;
    }
}
