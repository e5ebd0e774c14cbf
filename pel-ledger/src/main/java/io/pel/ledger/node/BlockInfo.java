package io.pel.ledger.node;

/**
 * What a transaction may know about the block it runs in. Chosen before the block executes and stored in its
 * header, so a replay gives every transaction the same values.
 *
 * @param height          the block's height
 * @param timestampMillis the block's timestamp (milliseconds since the epoch; never before its parent's)
 */
public record BlockInfo(long height, long timestampMillis) {
}
