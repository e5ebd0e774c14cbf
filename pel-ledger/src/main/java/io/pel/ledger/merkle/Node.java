package io.pel.ledger.merkle;

import io.pel.ledger.Hash;
import java.util.Arrays;

/**
 * A stored node of the tree. Its encoding is the preimage of its hash, so a node store is content-addressed:
 * {@code key = SHA-256(value)}.
 *
 * <pre>
 * Leaf     = 0x00 keyHash[32] valueHash[32]     -- a subtree holding exactly one key
 * Internal = 0x01 left[32] right[32]            -- child hashes; Hash.ZERO for an empty child
 * </pre>
 *
 * A leaf sits at the shallowest depth where its subtree holds no other key, and its hash does not depend on
 * that depth, so a key costs one leaf plus the internal nodes that separate it from its neighbours (about
 * 1.44 per key for random keys) instead of 256 nodes.
 */
sealed interface Node {

    int ENCODED_LENGTH = 1 + 2 * Hash.LENGTH;
    int LEAF_TAG = 0;
    int INTERNAL_TAG = 1;

    Hash hash();

    /** The node's canonical encoding, which is also its hash's preimage. */
    byte[] encode();

    record Leaf(Hash keyHash, Hash valueHash, Hash hash) implements Node {
        static Leaf of(Hash keyHash, Hash valueHash) {
            return new Leaf(keyHash, valueHash, Hash.sha256(preimage(LEAF_TAG, keyHash, valueHash)));
        }

        @Override
        public byte[] encode() {
            return preimage(LEAF_TAG, keyHash, valueHash);
        }
    }

    /** Never two empty children, and never an empty child beside a leaf (that leaf would sit one level up). */
    record Internal(Hash left, Hash right, Hash hash) implements Node {
        static Internal of(Hash left, Hash right) {
            return new Internal(left, right, Hash.sha256(preimage(INTERNAL_TAG, left, right)));
        }

        @Override
        public byte[] encode() {
            return preimage(INTERNAL_TAG, left, right);
        }

        Hash child(int bit) {
            return bit == 0 ? left : right;
        }
    }

    static Hash leafHash(Hash keyHash, Hash valueHash) {
        return Hash.sha256(preimage(LEAF_TAG, keyHash, valueHash));
    }

    static Hash internalHash(Hash left, Hash right) {
        return Hash.sha256(preimage(INTERNAL_TAG, left, right));
    }

    private static byte[] preimage(int tag, Hash a, Hash b) {
        byte[] bytes = new byte[ENCODED_LENGTH];
        bytes[0] = (byte) tag;
        a.copyTo(bytes, 1);
        b.copyTo(bytes, 1 + Hash.LENGTH);
        return bytes;
    }

    /**
     * Decodes a node read from the store under {@code hash}. Stores are written only by this package, so a
     * node that does not decode is corruption, not bad input: it throws {@link IllegalStateException}.
     */
    static Node decode(Hash hash, byte[] bytes) {
        if (bytes.length != ENCODED_LENGTH || (bytes[0] != LEAF_TAG && bytes[0] != INTERNAL_TAG)) {
            throw new IllegalStateException("tree node " + hash + " is corrupt: " + bytes.length + " bytes, tag "
                    + (bytes.length == 0 ? "none" : bytes[0]));
        }
        Hash a = Hash.of(Arrays.copyOfRange(bytes, 1, 1 + Hash.LENGTH));
        Hash b = Hash.of(Arrays.copyOfRange(bytes, 1 + Hash.LENGTH, ENCODED_LENGTH));
        return bytes[0] == LEAF_TAG ? new Leaf(a, b, hash) : new Internal(a, b, hash);
    }
}
