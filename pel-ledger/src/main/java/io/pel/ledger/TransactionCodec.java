package io.pel.ledger;

import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;

/**
 * The canonical encoding of transactions — the one place that defines it. Integers are big-endian and
 * fixed-width; {@code bytes(n)} is a 4-byte big-endian length followed by at most n bytes.
 *
 * <pre>
 * SignedTransaction = TransactionBody signature[64]          -- Ed25519 (R, S), S &lt; L
 * TransactionBody   = version:u8 = 1
 *                     chainId: bytes(64)                     -- 1..64 of A-Z a-z 0-9 . _ -
 *                     sender[32]                             -- raw Ed25519 public key
 *                     nonce: i64                             -- ≥ 0
 *                     Payload
 * Payload           = tag:u8, then by tag
 *                     1 Transfer: to[32] amount:i64          -- amount &gt; 0
 *                     2 Mint:     to[32] amount:i64          -- amount &gt; 0
 *                     3 Call:     app:u16 body: bytes(2048)  -- app ≥ 1; body is the application's encoding
 * </pre>
 *
 * <p>Every value has exactly one encoding, and the decoder rejects every byte string that is not the encoding
 * of a value: a decoded value re-encodes to the very bytes it came from.
 */
final class TransactionCodec {

    static final int BODY_VERSION = 1;

    /** The longest encoding of a signed transaction (a 64-character chain id and a call with the longest body). */
    static final int MAX_SIGNED_LENGTH = 1 + 4 + ChainId.MAX_LENGTH + AccountId.LENGTH + 8
            + 1 + Math.max(AccountId.LENGTH + 8, 2 + 4 + Payload.Call.MAX_BODY_BYTES) + Ed25519.SIGNATURE_LENGTH;

    private TransactionCodec() {
    }

    static byte[] encode(TransactionBody body) {
        CanonicalWriter out = new CanonicalWriter(MAX_SIGNED_LENGTH);
        write(body, out);
        return out.toByteArray();
    }

    static byte[] encode(SignedTransaction tx) {
        CanonicalWriter out = new CanonicalWriter(MAX_SIGNED_LENGTH);
        write(tx.body(), out);
        out.writeFixed(tx.signature().toByteArray(), Ed25519.SIGNATURE_LENGTH);
        return out.toByteArray();
    }

    static TransactionBody decodeBody(byte[] bytes) throws EncodingException {
        return CanonicalReader.decode(bytes, TransactionCodec::readBody);
    }

    static SignedTransaction decodeSigned(byte[] bytes) throws EncodingException {
        return CanonicalReader.decode(bytes, in -> {
            TransactionBody body = readBody(in);
            int at = in.position();
            byte[] signature = in.readFixed(Ed25519.SIGNATURE_LENGTH, "signature");
            if (!Ed25519.hasCanonicalS(signature)) {
                throw new EncodingException(EncodingError.NON_CANONICAL,
                        "signature: S is not below the group order L (at offset " + at + ")");
            }
            return SignedTransaction.of(body, Bytes.of(signature));
        });
    }

    private static void write(TransactionBody body, CanonicalWriter out) {
        out.writeByte(BODY_VERSION);
        out.writeString(body.chainId().value(), ChainId.MAX_LENGTH);
        out.writeFixed(body.sender().toByteArray(), AccountId.LENGTH);
        out.writeLong(body.nonce());
        write(body.payload(), out);
    }

    private static void write(Payload payload, CanonicalWriter out) {
        out.writeByte(payload.tag());
        switch (payload) {
            case Payload.Transfer t -> {
                out.writeFixed(t.to().toByteArray(), AccountId.LENGTH);
                out.writeLong(t.amount());
            }
            case Payload.Mint m -> {
                out.writeFixed(m.to().toByteArray(), AccountId.LENGTH);
                out.writeLong(m.amount());
            }
            case Payload.Call call -> {
                out.writeByte(call.app() >>> 8);
                out.writeByte(call.app() & 0xFF);
                out.writeBytes(call.body().toByteArray(), Payload.Call.MAX_BODY_BYTES);
            }
        }
    }

    private static TransactionBody readBody(CanonicalReader in) throws EncodingException {
        in.readTag("transaction format version", BODY_VERSION);
        ChainId chainId = readChainId(in);
        AccountId sender = AccountId.of(in.readFixed(AccountId.LENGTH, "sender"));
        long nonce = in.readLong("nonce", 0);
        Payload payload = readPayload(in);
        return new TransactionBody(chainId, sender, nonce, payload);
    }

    private static ChainId readChainId(CanonicalReader in) throws EncodingException {
        int at = in.position();
        String value = in.readString(ChainId.MAX_LENGTH, "chain id");
        String problem = ChainId.problem(value);
        if (problem != null) {
            throw new EncodingException(EncodingError.INVALID_VALUE, "chain id: " + problem + " (at offset " + at + ")");
        }
        return new ChainId(value);
    }

    private static Payload readPayload(CanonicalReader in) throws EncodingException {
        int tag = in.readTag("payload type", Payload.Transfer.TAG, Payload.Mint.TAG, Payload.Call.TAG);
        if (tag == Payload.Call.TAG) {
            int at = in.position();
            int app = (in.readByte("application id") << 8) | in.readByte("application id");
            if (app == 0) {
                throw new EncodingException(EncodingError.INVALID_VALUE, "application id: 0 is not an application"
                        + " (at offset " + at + ")");
            }
            return new Payload.Call(app, Bytes.of(in.readBytes(Payload.Call.MAX_BODY_BYTES, "call body")));
        }
        AccountId to = AccountId.of(in.readFixed(AccountId.LENGTH, "payload recipient"));
        long amount = in.readLong("payload amount", 1);
        return switch (tag) {
            case Payload.Transfer.TAG -> new Payload.Transfer(to, amount);
            case Payload.Mint.TAG -> new Payload.Mint(to, amount);
            default -> throw new IllegalStateException("readTag let tag " + tag + " through");
        };
    }
}
