package io.pel.ledger.node;

import io.pel.ledger.Hash;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A block: a {@link BlockHeader} and the signed transactions it orders. Immutable. Its hash is the header's
 * hash; the header's transaction root always matches the transactions (construction and decoding check it).
 *
 * <p>Canonical encoding (big-endian, as everywhere in pel-ledger):
 * <pre>
 * Block       = BlockHeader count:u32 SignedTransaction-as-bytes(MAX_ENCODED_LENGTH) × count
 * BlockHeader = version:u8 = 1  height:i64 ≥ 0  parentHash[32]  timestampMillis:i64 ≥ 0
 *               transactionRoot[32]  stateRoot[32]
 * </pre>
 * Each transaction is its own canonical encoding behind a 4-byte length. {@code count} is at most
 * {@value #MAX_TRANSACTIONS}.
 *
 * <p><b>Transaction root.</b> A plain list hash, not a Merkle tree: SHA-256(count:u32 ‖ hash₀ ‖ … ‖ hashₙ₋₁)
 * over the transactions' hashes in block order. It commits to the exact list; it gives no per-transaction
 * inclusion proofs (the store's transaction index answers "where is it", the header answers "is the block
 * intact").
 */
public record Block(BlockHeader header, List<SignedTransaction> transactions) {

    /** The most transactions one block may hold: keeps a decoder's work and a block's size bounded. */
    public static final int MAX_TRANSACTIONS = 1 << 16;

    public Block {
        Objects.requireNonNull(header, "header");
        transactions = List.copyOf(transactions);
        if (transactions.size() > MAX_TRANSACTIONS) {
            throw new IllegalArgumentException("a block holds at most " + MAX_TRANSACTIONS + " transactions");
        }
        Hash root = transactionRoot(transactions);
        if (!root.equals(header.transactionRoot())) {
            throw new IllegalArgumentException("the header's transaction root " + header.transactionRoot()
                    + " is not the root of the transactions, " + root);
        }
    }

    /** A block over {@code transactions} whose header carries their root. */
    public static Block of(long height, Hash parentHash, long timestampMillis, List<SignedTransaction> transactions,
                           Hash stateRoot) {
        return new Block(new BlockHeader(height, parentHash, timestampMillis, transactionRoot(transactions),
                stateRoot), transactions);
    }

    /** SHA-256(count:u32 ‖ hash₀ ‖ … ‖ hashₙ₋₁): see the class comment. */
    public static Hash transactionRoot(List<SignedTransaction> transactions) {
        CanonicalWriter out = new CanonicalWriter(4 + transactions.size() * Hash.LENGTH);
        out.writeInt(transactions.size());
        for (SignedTransaction tx : transactions) {
            out.writeFixed(tx.hash().toByteArray(), Hash.LENGTH);
        }
        return Hash.sha256(out.toByteArray());
    }

    public long height() {
        return header.height();
    }

    /** The header's hash. */
    public Hash hash() {
        return header.hash();
    }

    /** The transactions' hashes in block order. */
    public List<Hash> transactionHashes() {
        return transactions.stream().map(SignedTransaction::hash).toList();
    }

    public byte[] encode() {
        CanonicalWriter out = new CanonicalWriter(BlockHeader.ENCODED_LENGTH + 4 + transactions.size() * 200);
        header.write(out);
        out.writeInt(transactions.size());
        for (SignedTransaction tx : transactions) {
            out.writeBytes(tx.encode(), SignedTransaction.MAX_ENCODED_LENGTH);
        }
        return out.toByteArray();
    }

    /** Decodes the canonical encoding; rejects every other byte string and a transaction root that does not match. */
    public static Block decode(byte[] bytes) throws EncodingException {
        Parts parts = decodeParts(bytes);
        if (!transactionRoot(parts.transactions()).equals(parts.header().transactionRoot())) {
            throw new EncodingException(EncodingError.INVALID_VALUE,
                    "the header's transaction root does not match the block's transactions");
        }
        return new Block(parts.header(), parts.transactions());
    }

    /** A block's header and transactions as encoded, the transaction root not yet checked against them. */
    record Parts(BlockHeader header, List<SignedTransaction> transactions) {
    }

    /**
     * Decodes the canonical encoding without checking the transaction root, so an auditor can tell a block
     * whose bytes are malformed from one whose transactions do not match its header.
     */
    static Parts decodeParts(byte[] bytes) throws EncodingException {
        return CanonicalReader.decode(bytes, in -> {
            BlockHeader header = BlockHeader.read(in);
            int at = in.position();
            long count = Integer.toUnsignedLong(in.readInt("transaction count"));
            if (count > MAX_TRANSACTIONS) {
                throw new EncodingException(EncodingError.TOO_LONG, "transaction count: " + count
                        + " is over the maximum " + MAX_TRANSACTIONS + " (at offset " + at + ")");
            }
            // Never trust the count for an allocation: each transaction takes input bytes, so grow as they come.
            List<SignedTransaction> transactions = new ArrayList<>((int) Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                int start = in.position();
                byte[] tx = in.readBytes(SignedTransaction.MAX_ENCODED_LENGTH, "transaction " + i);
                try {
                    transactions.add(SignedTransaction.decode(tx));
                } catch (EncodingException e) {
                    throw new EncodingException(e.reason(), "transaction " + i + " (at offset " + start + "): "
                            + e.getMessage());
                }
            }
            return new Parts(header, List.copyOf(transactions));
        });
    }
}
