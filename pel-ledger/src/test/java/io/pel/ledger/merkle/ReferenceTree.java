package io.pel.ledger.merkle;

import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The root of a map computed straight from the definition in {@link SparseMerkleTree}'s documentation, with
 * its own SHA-256 calls and none of the tree's code: the oracle for the tree's roots.
 */
final class ReferenceTree {

    private ReferenceTree() {
    }

    static Hash root(Map<Bytes, Bytes> map) {
        List<byte[][]> entries = map.entrySet().stream()
                .map(e -> new byte[][]{sha256(e.getKey().toByteArray()), sha256(e.getValue().toByteArray())})
                .sorted(Comparator.comparing((byte[][] e) -> e[0], Arrays::compareUnsigned))
                .toList();
        return Hash.of(subtree(entries, 0));
    }

    private static byte[] subtree(List<byte[][]> entries, int depth) {
        if (entries.isEmpty()) {
            return new byte[32];
        }
        if (entries.size() == 1) {
            return sha256(new byte[]{0}, entries.get(0)[0], entries.get(0)[1]);
        }
        List<byte[][]> left = entries.stream().filter(e -> bit(e[0], depth) == 0).toList();
        List<byte[][]> right = entries.stream().filter(e -> bit(e[0], depth) == 1).toList();
        return sha256(new byte[]{1}, subtree(left, depth + 1), subtree(right, depth + 1));
    }

    private static int bit(byte[] hash, int index) {
        return (hash[index / 8] >> (7 - index % 8)) & 1;
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
