package io.pel.core;

/**
 * The engine could not produce a trustworthy result for a block: an internal invariant was violated, or a
 * transaction threw an {@link Error}. No partial result escapes; the caller may re-run the block
 * sequentially.
 */
public final class BlockExecutionException extends RuntimeException {

    public BlockExecutionException(String message) {
        super(message);
    }

    public BlockExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
