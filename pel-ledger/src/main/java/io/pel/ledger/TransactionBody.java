package io.pel.ledger;

import io.pel.ledger.codec.EncodingException;
import java.util.Objects;

/**
 * Everything a transaction says, except its signature: the chain it is meant for, its sender, the sender's
 * sequence number, and what it does. The sender signs {@link #signingHash()}, the SHA-256 of this body's
 * canonical encoding, so changing any field — the chain id included — invalidates the signature.
 *
 * @param nonce the sender's sequence number, ≥ 0; the ledger accepts each (sender, nonce) once, in order
 */
public record TransactionBody(ChainId chainId, AccountId sender, long nonce, Payload payload) {

    public TransactionBody {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
        if (nonce < 0) {
            throw new IllegalArgumentException("a nonce is ≥ 0, not " + nonce);
        }
    }

    /** The canonical encoding (see {@code TransactionCodec}). */
    public byte[] encode() {
        return TransactionCodec.encode(this);
    }

    public static TransactionBody decode(byte[] bytes) throws EncodingException {
        return TransactionCodec.decodeBody(bytes);
    }

    /** SHA-256 of the canonical encoding: the message the sender signs. */
    public Hash signingHash() {
        return Hash.sha256(encode());
    }
}
