package io.pel.ledger.merkle;

import io.pel.ledger.Hash;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NodeStore} in memory, holding the tree of the last applied root only. Safe for concurrent reads;
 * {@link #apply} must not run while the tree reads.
 */
public final class MemoryNodeStore implements NodeStore {

    private final ConcurrentHashMap<Hash, byte[]> nodes = new ConcurrentHashMap<>();

    @Override
    public byte[] get(Hash hash) {
        byte[] node = nodes.get(hash);
        return node == null ? null : node.clone();
    }

    /** Stores the update's new nodes and drops those it made stale, so only the new root stays readable. */
    public void apply(TreeUpdate update) {
        update.staleNodes().forEach(nodes::remove);
        update.addedNodes().forEach((hash, node) -> nodes.put(hash, node.clone()));
    }

    /** Nodes held. */
    public int size() {
        return nodes.size();
    }
}
