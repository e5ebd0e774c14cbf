package io.pel.ledger.node;

import io.pel.core.BlockStats;
import java.util.Objects;

/**
 * Where one block's time went, measured by the {@link Node} that made it with {@link System#nanoTime()} around
 * each phase. Handed to the listener given to {@link Node#open(java.nio.file.Path, NodeConfig,
 * java.util.function.Consumer)} and kept for the last {@value Node#RECENT_BLOCKS} blocks by
 * {@link Node#recentBlocks()}.
 *
 * <p>The production phases lie within {@code totalNanos}: {@code executionNanos + merkleNanos + writeNanos
 * <= totalNanos}, the rest being block assembly (hashing, encoding) and bookkeeping. Signature verification is
 * not among them: it happens earlier, at admission, on the submitting and verifier threads, often while the
 * block before is being produced.
 *
 * @param height         the block's height
 * @param transactions   transactions in the block
 * @param signatureNanos the admission-time signature checks of this block's transactions: each submission's
 *                       check, timed as a whole (a batch is checked in parallel), is split evenly among the
 *                       transactions it checked, and a block sums the shares of its transactions. Wall time,
 *                       outside {@code totalNanos}
 * @param executionNanos the engine run ({@code BlockExecutor.execute}, including a sequential re-run after a
 *                       {@code BlockExecutionException})
 * @param merkleNanos    the state tree's update from the block's write set
 * @param writeNanos     {@code LedgerStore.commit}: building the RocksDB write batch and the synced write
 * @param totalNanos     production, from taking the transactions out of the mempool until the block is
 *                       committed and visible (before the submitters' futures complete)
 * @param engine         the engine's own account of the block: path, executions, re-executions, …
 */
public record BlockTimings(long height, int transactions, long signatureNanos, long executionNanos,
                           long merkleNanos, long writeNanos, long totalNanos, BlockStats engine) {

    public BlockTimings {
        Objects.requireNonNull(engine, "engine");
        if (signatureNanos < 0 || executionNanos < 0 || merkleNanos < 0 || writeNanos < 0
                || executionNanos + merkleNanos + writeNanos > totalNanos) {
            throw new IllegalArgumentException("inconsistent block timings: signatures " + signatureNanos
                    + ", execution " + executionNanos + ", merkle " + merkleNanos + ", write " + writeNanos
                    + ", total " + totalNanos + " ns");
        }
    }

    /** Production time outside execution, Merkle update and write: assembly, hashing, bookkeeping. */
    public long otherNanos() {
        return totalNanos - executionNanos - merkleNanos - writeNanos;
    }
}
