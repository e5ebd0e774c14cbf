package io.pel.ledger.merkle;

import io.pel.ledger.Hash;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence that a key has a given value, or no value, under a root: the sibling hashes along the key's path
 * from the root down to where the path ends, and — when the path ends at another key's leaf — that leaf.
 * Checked by {@link SparseMerkleTree#verify}, which needs nothing but the root.
 *
 * <p>Canonical encoding (big-endian):
 * <pre>
 * MerkleProof = version:u8 = 1
 *               depth:u32                          -- number of siblings, 0..256
 *               bitmap[ceil(depth / 8)]            -- bit i (most significant first) set: sibling i is not empty;
 *                                                     bits from depth on are 0
 *               sibling[32] for each set bit       -- top-down; never Hash.ZERO (that is what a clear bit means)
 *               terminal:u8                        -- 0: none; 1: a leaf, followed by keyHash[32] valueHash[32]
 * </pre>
 *
 * @param siblings {@code siblings.get(i)} is the hash of the child, at depth {@code i + 1}, that is off the
 *                 key's path ({@link Hash#ZERO} when that subtree is empty)
 * @param leaf     the leaf of another key where the path ends, for a proof that the key is absent
 */
public record MerkleProof(List<Hash> siblings, Optional<Leaf> leaf) {

    public static final int MAX_DEPTH = 256;
    private static final int VERSION = 1;
    private static final int NO_TERMINAL = 0;
    private static final int LEAF_TERMINAL = 1;

    /** Another key's leaf: SHA-256 of its key and SHA-256 of its value. */
    public record Leaf(Hash keyHash, Hash valueHash) {
        public Leaf {
            Objects.requireNonNull(keyHash, "keyHash");
            Objects.requireNonNull(valueHash, "valueHash");
        }
    }

    public MerkleProof {
        siblings = List.copyOf(siblings);
        Objects.requireNonNull(leaf, "leaf");
        if (siblings.size() > MAX_DEPTH) {
            throw new IllegalArgumentException("a proof has at most " + MAX_DEPTH + " siblings, not " + siblings.size());
        }
    }

    public int depth() {
        return siblings.size();
    }

    public byte[] encode() {
        int depth = siblings.size();
        CanonicalWriter out = new CanonicalWriter(8 + depth * Hash.LENGTH + 1 + 2 * Hash.LENGTH);
        out.writeByte(VERSION);
        out.writeInt(depth);
        byte[] bitmap = new byte[(depth + 7) / 8];
        for (int i = 0; i < depth; i++) {
            if (!siblings.get(i).isZero()) {
                bitmap[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
        }
        out.writeFixed(bitmap, bitmap.length);
        for (Hash sibling : siblings) {
            if (!sibling.isZero()) {
                out.writeFixed(sibling.toByteArray(), Hash.LENGTH);
            }
        }
        if (leaf.isPresent()) {
            out.writeByte(LEAF_TERMINAL);
            out.writeFixed(leaf.get().keyHash().toByteArray(), Hash.LENGTH);
            out.writeFixed(leaf.get().valueHash().toByteArray(), Hash.LENGTH);
        } else {
            out.writeByte(NO_TERMINAL);
        }
        return out.toByteArray();
    }

    /** Decodes the canonical encoding; rejects every other byte string. */
    public static MerkleProof decode(byte[] bytes) throws EncodingException {
        return CanonicalReader.decode(bytes, MerkleProof::read);
    }

    private static MerkleProof read(CanonicalReader in) throws EncodingException {
        in.readTag("proof format version", VERSION);
        int at = in.position();
        long depth = Integer.toUnsignedLong(in.readInt("proof depth"));
        if (depth > MAX_DEPTH) {
            throw new EncodingException(EncodingError.TOO_LONG,
                    "proof depth: " + depth + " is over the maximum " + MAX_DEPTH + " (at offset " + at + ")");
        }
        int n = (int) depth;
        at = in.position();
        byte[] bitmap = in.readFixed((n + 7) / 8, "proof bitmap");
        if (n % 8 != 0 && (bitmap[n / 8] & (0xFF >>> (n % 8))) != 0) {
            throw new EncodingException(EncodingError.NON_CANONICAL,
                    "proof bitmap: a bit past the depth is set (at offset " + at + ")");
        }
        List<Hash> siblings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if ((bitmap[i >>> 3] & (0x80 >>> (i & 7))) == 0) {
                siblings.add(Hash.ZERO);
                continue;
            }
            at = in.position();
            Hash sibling = Hash.of(in.readFixed(Hash.LENGTH, "proof sibling " + i));
            if (sibling.isZero()) {
                throw new EncodingException(EncodingError.NON_CANONICAL,
                        "proof sibling " + i + ": an empty sibling is written as a clear bitmap bit (at offset " + at
                                + ")");
            }
            siblings.add(sibling);
        }
        int terminal = in.readTag("proof terminal", NO_TERMINAL, LEAF_TERMINAL);
        Optional<Leaf> leaf = Optional.empty();
        if (terminal == LEAF_TERMINAL) {
            Hash keyHash = Hash.of(in.readFixed(Hash.LENGTH, "proof leaf key hash"));
            Hash valueHash = Hash.of(in.readFixed(Hash.LENGTH, "proof leaf value hash"));
            leaf = Optional.of(new Leaf(keyHash, valueHash));
        }
        return new MerkleProof(siblings, leaf);
    }
}
