package io.pel.ledger.node;

/**
 * What a successful ledger transaction returns.
 *
 * @param nonce the sender's nonce it used; the sender's next nonce is {@code nonce + 1}
 */
public record TxResult(long nonce) {
}
