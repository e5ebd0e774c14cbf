package io.pel.core;

/**
 * One task a worker ran, for drawing a block's execution as a timeline (threads × time).
 *
 * @param worker      worker number, 0 … threads-1 (0 is the thread that called {@code execute})
 * @param transaction index of the transaction in the block
 * @param incarnation which run of that transaction (0 for the first)
 * @param kind        what the task was
 * @param result      how it ended
 * @param startNanos  start, in nanoseconds since the block started
 * @param endNanos    end, in nanoseconds since the block started
 * @param key         for an {@link Result#ABORTED ABORTED} validation the key whose read had changed, for a
 *                    {@link Result#SUSPENDED SUSPENDED} execution the key whose aborted write it met: where the
 *                    block's conflicts are; {@code null} otherwise
 */
public record TraceEvent(int worker, int transaction, int incarnation, Kind kind, Result result,
                         long startNanos, long endNanos, Object key) {

    public TraceEvent(int worker, int transaction, int incarnation, Kind kind, Result result, long startNanos,
                      long endNanos) {
        this(worker, transaction, incarnation, kind, result, startNanos, endNanos, null);
    }

    public enum Kind { EXECUTE, VALIDATE }

    public enum Result {
        /** An execution that ran to the end (successfully or by a transaction failure). */
        EXECUTED,
        /** An execution stopped because it read an aborted transaction's write. */
        SUSPENDED,
        /** A validation that found the read set still current. */
        VALID,
        /** A validation that found a changed read and aborted the incarnation. */
        ABORTED
    }
}
