package io.pel.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Where idle workers park until the scheduler may have work again (a cursor moved back, or the block ended).
 * An event count: a worker takes a ticket, looks for work once more, and parks only if no signal came
 * after its ticket, so no wake-up is lost.
 */
final class IdleSignal {

    private final AtomicLong epoch = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReferenceArray<Thread> parked;

    IdleSignal(int workers) {
        parked = new AtomicReferenceArray<>(workers);
    }

    long ticket() {
        return epoch.get();
    }

    /** Parks worker {@code worker} until a signal newer than {@code ticket}. */
    void await(int worker, long ticket) {
        parked.set(worker, Thread.currentThread());
        waiting.incrementAndGet();
        try {
            while (epoch.get() == ticket) {
                LockSupport.park(this);
            }
        } finally {
            waiting.decrementAndGet();
            parked.set(worker, null);
        }
    }

    /** Like {@link #signalAll}, but costs nothing (no shared write) when no worker waits. */
    void signalIfWaiting() {
        if (waiting.get() > 0) {
            signalAll();
        }
    }

    void signalAll() {
        epoch.incrementAndGet();
        // The common case: every worker busy; one volatile read and nothing else.
        if (waiting.get() > 0) {
            for (int i = 0; i < parked.length(); i++) {
                Thread t = parked.get(i);
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }
}
