package io.pel.cli;

import io.pel.bench.Work;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.pel.core.BaseState;
import io.pel.core.Transaction;
import io.pel.core.TxContext;

/**
 * A deterministic block of transfers among accounts, the demo's workload: the same arguments always give the
 * same transactions and the same base state.
 *
 * <p>Keys are account ids ({@code "acct-17"}) and the {@link #FEES} counter; values are {@code Long} balances.
 * Every account starts with {@link #INITIAL_BALANCE}.
 */
record TransferBlock(List<Transfer> transactions, BaseState<String, Long> base) {

    static final long INITIAL_BALANCE = 1_000_000;

    /** A delta counter every transaction adds 1 to: conflict-free however many transactions touch it. */
    static final String FEES = "fees";

    /**
     * Amounts are drawn from 1 … this. Large enough that some senders run dry in a 20 000-transaction block,
     * so the block contains transactions whose failure depends on what ran before them.
     */
    static final long MAX_AMOUNT = 200_000;

    /**
     * Default rounds of {@link Work#burn} per transfer: about 20 µs here, the weight of a mid-size contract call
     * (1 000 rounds is DESIGN §8's "light", ~2 µs, where the engine has no time to win on 2 cores yet).
     */
    static final int WORK_ROUNDS = 10_000;

    static TransferBlock generate(int transactions, int accounts, long seed) {
        return generate(transactions, accounts, seed, WORK_ROUNDS);
    }

    static TransferBlock generate(int transactions, int accounts, long seed, int workRounds) {
        if (accounts < 2) {
            throw new IllegalArgumentException("a transfer needs at least 2 accounts, got " + accounts);
        }
        String[] ids = new String[accounts];
        Map<String, Long> balances = HashMap.newHashMap(accounts);
        for (int i = 0; i < accounts; i++) {
            ids[i] = "acct-" + i;
            balances.put(ids[i], INITIAL_BALANCE);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Transfer> block = new ArrayList<>(transactions);
        for (int i = 0; i < transactions; i++) {
            int from = random.nextInt(accounts);
            int to = random.nextInt(accounts - 1);
            if (to >= from) {
                to++; // never to oneself
            }
            block.add(new Transfer(ids[from], ids[to], 1 + random.nextLong(MAX_AMOUNT), workRounds));
        }
        return new TransferBlock(List.copyOf(block), BaseState.of(Map.copyOf(balances)));
    }

    /**
     * Moves {@code amount} from {@code from} to {@code to}, or fails when {@code from} has less. Its output is
     * the result of {@link Work#burn}, which keeps the JIT from discarding that work.
     */
    record Transfer(String from, String to, long amount, int workRounds) implements Transaction<String, Long, Long> {
        @Override
        public Long execute(TxContext<String, Long> ctx) {
            ctx.add(FEES, 1);
            long fromBalance = balance(ctx, from);
            if (fromBalance < amount) {
                throw new IllegalStateException(
                        "insufficient funds: " + from + " has " + fromBalance + ", needs " + amount);
            }
            long toBalance = balance(ctx, to);
            long proof = Work.burn(amount ^ fromBalance, workRounds);
            ctx.write(from, fromBalance - amount);
            ctx.write(to, toBalance + amount);
            return proof;
        }

        private static long balance(TxContext<String, Long> ctx, String account) {
            Long balance = ctx.read(account);
            return balance == null ? 0 : balance;
        }
    }
}
