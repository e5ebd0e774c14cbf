package io.pel.ledger.node;

import io.pel.core.Outcome;
import io.pel.ledger.Bytes;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical encoding of a block's receipts — what each transaction came to — stored with the block.
 *
 * <pre>
 * Receipts = count:u32, then per transaction
 *            0 success:         nonce:i64 output: bytes(4096)
 *            1 engine failure:  errorType: string(256) message: string(2048)   -- the nonce was not used
 *            2 payload failure: nonce:i64 code: string(256) message: string(2048)  -- the nonce was used
 *            (messages cut to 500 characters, codes to 64)
 * </pre>
 * A failure message is cut before encoding, the same way on every node, so stored receipts of a replayed block
 * compare equal byte for byte.
 */
final class Receipts {

    static final int MAX_ERROR_TYPE_BYTES = 256;
    static final int MAX_MESSAGE_BYTES = 2048;
    static final int MAX_MESSAGE_CHARS = 500;

    private Receipts() {
    }

    static Bytes encode(List<Outcome<TxResult>> outcomes) {
        CanonicalWriter out = new CanonicalWriter(16 * outcomes.size() + 4);
        out.writeInt(outcomes.size());
        for (Outcome<TxResult> outcome : outcomes) {
            switch (outcome) {
                case Outcome.Success<TxResult> s when s.output().error().isPresent() -> {
                    TxResult.Error error = s.output().error().get();
                    out.writeByte(2);
                    out.writeLong(s.output().nonce());
                    out.writeString(cut(error.code(), MAX_ERROR_TYPE_BYTES / 4), MAX_ERROR_TYPE_BYTES);
                    out.writeString(cut(error.message(), MAX_MESSAGE_CHARS), MAX_MESSAGE_BYTES);
                }
                case Outcome.Success<TxResult> s -> {
                    out.writeByte(0);
                    out.writeLong(s.output().nonce());
                    out.writeBytes(s.output().output().toByteArray(), TxResult.MAX_OUTPUT_BYTES);
                }
                case Outcome.Failure<TxResult> f -> {
                    out.writeByte(1);
                    out.writeString(cut(f.errorType(), MAX_ERROR_TYPE_BYTES / 4), MAX_ERROR_TYPE_BYTES);
                    out.writeString(cut(f.message() == null ? "" : f.message(), MAX_MESSAGE_CHARS),
                            MAX_MESSAGE_BYTES);
                }
            }
        }
        return Bytes.of(out.toByteArray());
    }

    /** What {@link #encode} makes of {@code outcome}: failure messages cut as stored. */
    static Outcome<TxResult> normalize(Outcome<TxResult> outcome) {
        if (outcome instanceof Outcome.Failure<TxResult> f) {
            return new Outcome.Failure<>(cut(f.errorType(), MAX_ERROR_TYPE_BYTES / 4),
                    cut(f.message() == null ? "" : f.message(), MAX_MESSAGE_CHARS));
        }
        if (outcome instanceof Outcome.Success<TxResult> s && s.output().error().isPresent()) {
            TxResult.Error error = s.output().error().get();
            return new Outcome.Success<>(new TxResult(s.output().nonce(), Bytes.of(), java.util.Optional.of(
                    new TxResult.Error(cut(error.code(), MAX_ERROR_TYPE_BYTES / 4),
                            cut(error.message(), MAX_MESSAGE_CHARS)))));
        }
        return outcome;
    }

    static List<Outcome<TxResult>> decode(Bytes bytes) throws EncodingException {
        return CanonicalReader.decode(bytes.toByteArray(), in -> {
            int count = in.readInt("receipt count");
            if (count < 0 || count > Block.MAX_TRANSACTIONS) {
                throw new EncodingException(io.pel.ledger.codec.EncodingError.INVALID_VALUE,
                        "receipt count " + Integer.toUnsignedString(count) + " is over " + Block.MAX_TRANSACTIONS);
            }
            List<Outcome<TxResult>> outcomes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int tag = in.readTag("receipt " + i, 0, 1, 2);
                if (tag == 0) {
                    long nonce = in.readLong("receipt nonce", 0);
                    Bytes output = Bytes.of(in.readBytes(TxResult.MAX_OUTPUT_BYTES, "receipt output"));
                    outcomes.add(new Outcome.Success<>(new TxResult(nonce, output)));
                } else if (tag == 2) {
                    long nonce = in.readLong("receipt nonce", 0);
                    String code = in.readString(MAX_ERROR_TYPE_BYTES, "receipt failure code");
                    String message = in.readString(MAX_MESSAGE_BYTES, "receipt message");
                    outcomes.add(new Outcome.Success<>(new TxResult(nonce, Bytes.of(), java.util.Optional.of(
                            new TxResult.Error(code, message)))));
                } else {
                    String type = in.readString(MAX_ERROR_TYPE_BYTES, "receipt error type");
                    String message = in.readString(MAX_MESSAGE_BYTES, "receipt message");
                    outcomes.add(new Outcome.Failure<>(type, message));
                }
            }
            return outcomes;
        });
    }

    /**
     * At most {@code chars} characters, never splitting a surrogate pair, and as UTF-8 gives it back (a lone
     * surrogate becomes '?'), so a decoded receipt equals its {@link #normalize normalized} outcome.
     */
    private static String cut(String text, int chars) {
        String kept = text;
        if (text.length() > chars) {
            int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
            kept = text.substring(0, end);
        }
        return new String(kept.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
