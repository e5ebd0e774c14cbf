package io.pel.ledger.node;

import io.pel.ledger.Hash;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingException;
import java.util.Objects;

/**
 * What a block commits to: its place in the chain, when it was made, its transactions and the state after it.
 * The block's hash is {@link #hash()}, the SHA-256 of this header's canonical encoding (see {@link Block}), so
 * it covers the transactions through {@code transactionRoot} and the state through {@code stateRoot}.
 *
 * @param height          0 for the first block, then one more than the parent's
 * @param parentHash      the parent block's hash; {@link Hash#ZERO} for height 0
 * @param timestampMillis when the block was made (Unix epoch milliseconds, never less than the parent's)
 * @param transactionRoot {@link Block#transactionRoot} of the block's transactions
 * @param stateRoot       the sparse Merkle root of the whole state after the block
 */
public record BlockHeader(long height, Hash parentHash, long timestampMillis, Hash transactionRoot, Hash stateRoot) {

    /** Format version, the header's first byte. */
    static final int VERSION = 1;
    /** 1 + height 8 + parent 32 + timestamp 8 + transaction root 32 + state root 32. */
    static final int ENCODED_LENGTH = 1 + 8 + Hash.LENGTH + 8 + Hash.LENGTH + Hash.LENGTH;

    public BlockHeader {
        if (height < 0 || timestampMillis < 0) {
            throw new IllegalArgumentException("height and timestamp are ≥ 0: " + height + ", " + timestampMillis);
        }
        Objects.requireNonNull(parentHash, "parentHash");
        Objects.requireNonNull(transactionRoot, "transactionRoot");
        Objects.requireNonNull(stateRoot, "stateRoot");
    }

    /** The canonical encoding. */
    public byte[] encode() {
        CanonicalWriter out = new CanonicalWriter(ENCODED_LENGTH);
        write(out);
        return out.toByteArray();
    }

    /** The block hash: SHA-256 of {@link #encode()}. */
    public Hash hash() {
        return Hash.sha256(encode());
    }

    public static BlockHeader decode(byte[] bytes) throws EncodingException {
        return CanonicalReader.decode(bytes, BlockHeader::read);
    }

    void write(CanonicalWriter out) {
        out.writeByte(VERSION);
        out.writeLong(height);
        out.writeFixed(parentHash.toByteArray(), Hash.LENGTH);
        out.writeLong(timestampMillis);
        out.writeFixed(transactionRoot.toByteArray(), Hash.LENGTH);
        out.writeFixed(stateRoot.toByteArray(), Hash.LENGTH);
    }

    static BlockHeader read(CanonicalReader in) throws EncodingException {
        in.readTag("block format version", VERSION);
        long height = in.readLong("height", 0);
        Hash parent = Hash.of(in.readFixed(Hash.LENGTH, "parent hash"));
        long timestamp = in.readLong("timestamp", 0);
        Hash transactionRoot = Hash.of(in.readFixed(Hash.LENGTH, "transaction root"));
        Hash stateRoot = Hash.of(in.readFixed(Hash.LENGTH, "state root"));
        return new BlockHeader(height, parent, timestamp, transactionRoot, stateRoot);
    }
}
