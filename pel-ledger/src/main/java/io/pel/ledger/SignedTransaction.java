package io.pel.ledger;

import io.pel.ledger.codec.EncodingException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Objects;

/**
 * A transaction body and its sender's Ed25519 signature over the body's {@link TransactionBody#signingHash()}.
 * Immutable. Its {@link #hash()} is the SHA-256 of its canonical encoding, which has exactly one byte form
 * (the signature's S included), so the hash identifies the transaction. Equal when the encodings are equal.
 *
 * <p>Holding one proves nothing: {@link #verify()} says whether the signature is valid, and the admission
 * layer decides what to accept.
 */
public final class SignedTransaction {

    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_LENGTH;

    /** The longest canonical encoding any signed transaction has: a bound for size limits and containers. */
    public static final int MAX_ENCODED_LENGTH = TransactionCodec.MAX_SIGNED_LENGTH;

    private final TransactionBody body;
    private final Bytes signature;
    private final byte[] encoded;
    private final Hash hash;

    private SignedTransaction(TransactionBody body, Bytes signature) {
        this.body = body;
        this.signature = signature;
        this.encoded = TransactionCodec.encode(this);
        this.hash = Hash.sha256(encoded);
    }

    /** Signs a transaction from the owner of {@code keys} (an Ed25519 key pair), who becomes its sender. */
    public static SignedTransaction sign(KeyPair keys, ChainId chainId, long nonce, Payload payload) {
        TransactionBody body = new TransactionBody(chainId, AccountId.of(keys.getPublic()), nonce, payload);
        byte[] signature = Ed25519.sign(keys.getPrivate(), body.signingHash().toByteArray());
        return new SignedTransaction(body, Bytes.of(signature));
    }

    /**
     * A body with a given signature, valid or not (see {@link #verify()}).
     *
     * @throws IllegalArgumentException if the signature is not 64 bytes with a canonical S
     */
    public static SignedTransaction of(TransactionBody body, Bytes signature) {
        Objects.requireNonNull(body, "body");
        byte[] raw = signature.toByteArray();
        if (raw.length != SIGNATURE_LENGTH || !Ed25519.hasCanonicalS(raw)) {
            throw new IllegalArgumentException("not a canonical 64-byte Ed25519 signature");
        }
        return new SignedTransaction(body, signature);
    }

    /** Decodes the canonical encoding; rejects every other byte string. Does not check the signature. */
    public static SignedTransaction decode(byte[] bytes) throws EncodingException {
        return TransactionCodec.decodeSigned(bytes);
    }

    /** Whether the signature is the sender's, over this body. Never throws for a bad key or signature. */
    public boolean verify() {
        return Ed25519.verify(body.sender().toByteArray(), body.signingHash().toByteArray(),
                signature.toByteArray());
    }

    /** The canonical encoding (a copy). */
    public byte[] encode() {
        return encoded.clone();
    }

    /** Length of the canonical encoding. */
    public int encodedLength() {
        return encoded.length;
    }

    /** SHA-256 of the canonical encoding. */
    public Hash hash() {
        return hash;
    }

    public TransactionBody body() {
        return body;
    }

    public ChainId chainId() {
        return body.chainId();
    }

    public AccountId sender() {
        return body.sender();
    }

    public long nonce() {
        return body.nonce();
    }

    public Payload payload() {
        return body.payload();
    }

    public Bytes signature() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction{hash=" + hash + ", chain=" + body.chainId() + ", sender=" + body.sender()
                + ", nonce=" + body.nonce() + ", payload=" + body.payload() + "}";
    }
}
