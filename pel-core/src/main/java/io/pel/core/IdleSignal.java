package io.pel.core;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Where idle workers park until the scheduler may have work again (a cursor moved back, or the block ended).
 * An event count: a worker takes a ticket, looks for work once more, and parks only if no signal came
 * after its ticket, so no wake-up is lost.
 */
final class IdleSignal {

    /*
     * The epoch and the count of waiters, each on its own cache line (slots 16 and 32 of one array, away from
     * its header): every finished transaction reads the waiter count, and it must not share a line with
     * the epoch that cursor moves bump, nor with whatever was allocated next to it.
     */
    private static final int EPOCH = 16;
    private static final int WAITING = 32;
    private final AtomicLongArray slots = new AtomicLongArray(48);
    private final AtomicReferenceArray<Thread> parked;

    IdleSignal(int workers) {
        parked = new AtomicReferenceArray<>(workers);
    }

    long ticket() {
        return slots.get(EPOCH);
    }

    /** Parks worker {@code worker} until a signal newer than {@code ticket}. */
    void await(int worker, long ticket) {
        parked.set(worker, Thread.currentThread());
        slots.incrementAndGet(WAITING);
        try {
            while (slots.get(EPOCH) == ticket) {
                LockSupport.park(this);
            }
        } finally {
            slots.decrementAndGet(WAITING);
            parked.set(worker, null);
        }
    }

    /**
     * Parks worker {@code worker} until a signal newer than {@code ticket} or until {@code ready}, which is
     * checked again after this worker counts as waiting: a signaller that changes what {@code ready} reads
     * (with a volatile write) and then calls {@link #signalIfWaiting} either sees this worker waiting and
     * signals, or made its change before that check, which then sees it. No wake-up is lost either way.
     */
    void await(int worker, long ticket, java.util.function.BooleanSupplier ready) {
        parked.set(worker, Thread.currentThread());
        slots.incrementAndGet(WAITING);
        try {
            while (slots.get(EPOCH) == ticket && !ready.getAsBoolean()) {
                LockSupport.park(this);
            }
        } finally {
            slots.decrementAndGet(WAITING);
            parked.set(worker, null);
        }
    }

    /** Like {@link #signalAll}, but costs nothing (no shared write) when no worker waits. */
    void signalIfWaiting() {
        if (slots.get(WAITING) > 0) {
            signalAll();
        }
    }

    void signalAll() {
        slots.incrementAndGet(EPOCH);
        // The common case: every worker busy; one volatile read and nothing else.
        if (slots.get(WAITING) > 0) {
            for (int i = 0; i < parked.length(); i++) {
                Thread t = parked.get(i);
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }
}
