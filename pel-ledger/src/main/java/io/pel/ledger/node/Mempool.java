package io.pel.ledger.node;

import io.pel.ledger.AccountId;
import io.pel.ledger.Hash;
import io.pel.ledger.SignedTransaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * Admitted transactions until their block is committed: <em>waiting</em> ones, per sender in nonce order, and
 * <em>in flight</em> ones (taken into the block being produced). Both count against the capacity and both
 * block a second transaction with the same hash or the same (sender, nonce). Not thread-safe: the node
 * guards it with its lock.
 */
final class Mempool {

    /** {@code signatureNanos}: this transaction's share of its admission's signature check, for {@link BlockTimings}. */
    record Entry(SignedTransaction tx, CompletableFuture<Committed> committed, long signatureNanos) {
    }

    private record Slot(AccountId sender, long nonce) {
    }

    private final int capacity;
    private final Map<Hash, Entry> byHash = new HashMap<>();
    private final Set<Slot> slots = new HashSet<>();
    /** Senders in the order they (re)appeared, each with its waiting transactions by nonce. */
    private final LinkedHashMap<AccountId, TreeMap<Long, Entry>> waiting = new LinkedHashMap<>();

    Mempool(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return byHash.size();
    }

    boolean isFull() {
        return byHash.size() >= capacity;
    }

    Entry get(Hash txHash) {
        return byHash.get(txHash);
    }

    boolean holdsNonce(AccountId sender, long nonce) {
        return slots.contains(new Slot(sender, nonce));
    }

    void add(Entry entry) {
        SignedTransaction tx = entry.tx();
        if (isFull() || byHash.containsKey(tx.hash()) || !slots.add(new Slot(tx.sender(), tx.nonce()))) {
            throw new IllegalStateException("admission let through a transaction the mempool cannot hold: " + tx);
        }
        byHash.put(tx.hash(), entry);
        waiting.computeIfAbsent(tx.sender(), s -> new TreeMap<>()).put(tx.nonce(), entry);
    }

    /**
     * How many waiting transactions are ready, counting up to {@code max}: for each sender, the run of
     * consecutive nonces from its next nonce on.
     */
    int readyCount(int max, ToLongFunction<AccountId> nextNonce) {
        int count = 0;
        for (var sender : waiting.entrySet()) {
            long next = nextNonce.applyAsLong(sender.getKey());
            TreeMap<Long, Entry> queue = sender.getValue();
            count += queue.headMap(next).size();
            while (count < max && queue.containsKey(next)) {
                count++;
                next++;
            }
            if (count >= max) {
                return max;
            }
        }
        return count;
    }

    /**
     * Takes up to {@code max} ready transactions into flight, <b>interleaved across senders</b>: one from each
     * sender in turn (senders in order of appearance), each sender's in nonce order — so no sender crowds out the
     * others when more are ready than fit. All of a sender's
     * transactions read and write its nonce, so side by side they would be re-executed one after another by the
     * parallel engine; spread out, they rarely run at the same time. A transaction whose nonce is already below
     * its sender's next one (none should be) is taken too, so it fails visibly instead of waiting forever.
     */
    List<Entry> takeReady(int max, ToLongFunction<AccountId> nextNonce) {
        // Each sender's ready run (at most max), then turns across them: no sender crowds out the others.
        List<ArrayDeque<Entry>> runs = new ArrayList<>();
        for (TreeMap<Long, Entry> queue : waiting.values()) {
            long next = nextNonce.applyAsLong(queue.firstEntry().getValue().tx().sender());
            ArrayDeque<Entry> run = new ArrayDeque<>();
            for (Map.Entry<Long, Entry> e : queue.entrySet()) {
                if (run.size() >= max || e.getKey() > next) {
                    break;
                }
                run.add(e.getValue());
                if (e.getKey() == next) {
                    next++;
                }
            }
            if (!run.isEmpty()) {
                runs.add(run);
            }
        }
        List<Entry> taken = new ArrayList<>();
        while (!runs.isEmpty() && taken.size() < max) {
            Iterator<ArrayDeque<Entry>> turn = runs.iterator();
            while (turn.hasNext() && taken.size() < max) {
                ArrayDeque<Entry> run = turn.next();
                Entry entry = run.pollFirst();
                taken.add(entry);
                TreeMap<Long, Entry> queue = waiting.get(entry.tx().sender());
                queue.remove(entry.tx().nonce());
                if (queue.isEmpty()) {
                    waiting.remove(entry.tx().sender());
                }
                if (run.isEmpty()) {
                    turn.remove();
                }
            }
        }
        return taken;
    }

    /** Forgets transactions whose block was committed (or abandoned). */
    void finished(List<Entry> entries) {
        for (Entry entry : entries) {
            SignedTransaction tx = entry.tx();
            byHash.remove(tx.hash());
            slots.remove(new Slot(tx.sender(), tx.nonce()));
        }
    }

    /** Removes and returns everything, waiting and in flight. */
    List<Entry> drain() {
        List<Entry> all = new ArrayList<>(byHash.values());
        byHash.clear();
        slots.clear();
        waiting.clear();
        return all;
    }
}
