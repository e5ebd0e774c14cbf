package io.pel.ledger.node;

/**
 * Told about every block a {@link Node} commits, in height order, on the block-producing thread, after the
 * block is durable and before its submitters learn it committed — so what a listener derives (an index, a view)
 * is up to date when a client sees its transaction committed. It must be quick; an exception from it is logged
 * and ignored. {@link Node#replayCommitted} feeds it the blocks already on disk.
 */
@FunctionalInterface
public interface BlockListener {

    void committed(CommittedBlock block);
}
