package io.pel.bench;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.Transaction;
import io.pel.ledger.Bytes;
import io.pel.ledger.node.BlockInfo;
import io.pel.ledger.node.StateLayout;
import io.pel.referral.ReferralApp;
import io.pel.referral.ReferralBlocks;
import io.pel.referral.ReferralOptions;
import io.pel.referral.ReferralWorkload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code referral} workload: the referral program's own transactions (sign-ups, purchases, clicks, refunds,
 * redemptions with Zipf-distributed referrers, multi-level shares and a share of fraud) on the engine, without
 * a node or signatures. The campaign and the participants' joins run once first; block {@code i} then runs on
 * the state after blocks {@code 0..i-1}, as on a chain. {@code referral-rw} is the same with the program's
 * delta counters turned off (every aggregate read, then written).
 */
final class ReferralSource implements BlockSource {

    private static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01, a fixed clock for determinism
    private static final long BLOCK_MILLIS = 1_000;

    private final boolean deltaCounters;
    private final int participants;
    private final ReferralApp app;
    private ReferralWorkload workload;
    private Map<Bytes, Bytes> state;
    private long seed = Long.MIN_VALUE;
    private int nextIndex;

    ReferralSource(int participants, boolean deltaCounters) {
        this.participants = participants;
        this.deltaCounters = deltaCounters;
        this.app = new ReferralApp(new ReferralOptions(deltaCounters));
    }

    @Override
    public String name() {
        return deltaCounters ? "referral" : "referral-rw";
    }

    @Override
    public String weightLabel() {
        return "natural";
    }

    @Override
    public BenchBlock<?, ?, ?> block(int size, long seed, int index) {
        if (seed != this.seed || index != nextIndex) {
            if (index != 0) {
                throw new IllegalStateException("referral blocks are made in order from 0; asked for " + index);
            }
            start(seed);
        }
        List<ReferralBlocks.Item> items = workload.nextBlock(size);
        Map<Bytes, Bytes> before = new HashMap<>(state);
        BlockInfo info = new BlockInfo(index + 1, START_MILLIS + (index + 1) * BLOCK_MILLIS);
        List<Transaction<Bytes, Bytes, Bytes>> txs = ReferralBlocks.transactions(app, items,
                Optional.of(io.pel.ledger.Keys.accountId(workload.admin())), info);
        run(txs); // advances the chain's state for the next block
        nextIndex = index + 1;
        return new BenchBlock<>(txs, BaseState.of(before), StateLayout.COUNTERS);
    }

    private void start(long seed) {
        this.seed = seed;
        this.nextIndex = 0;
        this.state = new HashMap<>();
        workload = new ReferralWorkload(new ReferralWorkload.Config(seed, participants, 32, 1.1, 0.05),
                ReferralWorkload.key("bench-admin"));
        List<Transaction<Bytes, Bytes, Bytes>> setup = ReferralBlocks.transactions(app, workload.setup(),
                Optional.of(io.pel.ledger.Keys.accountId(workload.admin())), new BlockInfo(0, START_MILLIS));
        BlockResult<Bytes, Bytes, Bytes> r = run(setup);
        workload.useCodes(ReferralBlocks.codes(r.outcomes()));
    }

    private BlockResult<Bytes, Bytes, Bytes> run(List<Transaction<Bytes, Bytes, Bytes>> txs) {
        BlockResult<Bytes, Bytes, Bytes> r;
        try (BlockExecutor sequential = BlockExecutor.sequential()) {
            r = sequential.execute(txs, BaseState.of(state), StateLayout.COUNTERS);
        }
        r.writeSet().forEach((key, value) -> {
            if (value == null) {
                state.remove(key);
            } else {
                state.put(key, value);
            }
        });
        return r;
    }
}
