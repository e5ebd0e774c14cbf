package io.pel.ledger.merkle;

import io.pel.ledger.Hash;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What applying a batch of changes to the tree at {@code previousRoot} gives: the new root, the nodes to store
 * for it, and the nodes of the previous tree that the new one no longer reaches. A store holding exactly the
 * tree of {@code previousRoot} holds exactly the tree of {@code root} after adding {@code addedNodes} and
 * removing {@code staleNodes}; the two sets are disjoint. Node encodings must not be modified.
 */
public record TreeUpdate(Hash previousRoot, Hash root, Map<Hash, byte[]> addedNodes, Set<Hash> staleNodes) {

    public TreeUpdate {
        Objects.requireNonNull(previousRoot, "previousRoot");
        Objects.requireNonNull(root, "root");
        addedNodes = Map.copyOf(addedNodes);
        staleNodes = Set.copyOf(staleNodes);
    }
}
