package io.pel.ledger.node;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Hands a downstream listener every committed block exactly once and in height order, whatever it missed: a block
 * past the one the downstream expects makes it first replay the gap from the store. So a downstream that was
 * behind at start-up (views rebuilt from disk, a webhook outbox after a crash) or that failed on a block (its
 * exception is logged by the node) catches up at the next block instead of skipping one.
 */
public final class InOrderListener implements BlockListener {

    private final LongSupplier next;
    private final BlockListener downstream;
    private volatile Node node;

    /**
     * @param next       the height the downstream wants next (its last applied height + 1)
     * @param downstream what to feed
     */
    public InOrderListener(LongSupplier next, BlockListener downstream) {
        this.next = Objects.requireNonNull(next, "next");
        this.downstream = Objects.requireNonNull(downstream, "downstream");
    }

    /** The node to replay gaps from; until set, blocks past the expected one wait for {@link #catchUp}. */
    public void attach(Node node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public synchronized void committed(CommittedBlock block) {
        long expected = next.getAsLong();
        if (block.height() < expected) {
            return;
        }
        Node from = node;
        if (block.height() > expected && from != null) {
            from.replayCommitted(expected, b -> {
                if (b.height() < block.height() && b.height() == next.getAsLong()) {
                    downstream.committed(b);
                }
            });
        }
        if (block.height() == next.getAsLong()) {
            downstream.committed(block);
        }
    }

    /** Feeds the downstream every committed block it has not seen. */
    public synchronized void catchUp() {
        Node from = Objects.requireNonNull(node, "attach a node first");
        from.replayCommitted(next.getAsLong(), b -> {
            if (b.height() == next.getAsLong()) {
                downstream.committed(b);
            }
        });
    }
}
