package io.pel.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.WriteSet;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import java.util.ArrayDeque;
import java.util.Map;

/** Helpers shared by the tree's tests. */
final class Trees {

    private Trees() {
    }

    static WriteSet<Bytes, Bytes> sets(Map<Bytes, Bytes> entries) {
        WriteSet.Builder<Bytes, Bytes> changes = WriteSet.builder(entries.size());
        entries.forEach(changes::put);
        return changes.build();
    }

    static Bytes key(int i) {
        return Bytes.utf8("key-" + i);
    }

    static Bytes value(int i) {
        return Bytes.utf8("value-" + i);
    }

    /** Nodes reachable from {@code root}, each checked to be stored under the hash of its encoding. */
    static int reachable(NodeStore store, Hash root) {
        int count = 0;
        ArrayDeque<Hash> pending = new ArrayDeque<>();
        if (!root.isZero()) {
            pending.push(root);
        }
        while (!pending.isEmpty()) {
            Hash hash = pending.pop();
            byte[] bytes = store.get(hash);
            assertThat(bytes).as("node %s", hash).isNotNull();
            assertThat(Hash.sha256(bytes)).isEqualTo(hash);
            count++;
            if (Node.decode(hash, bytes) instanceof Node.Internal internal) {
                assertThat(internal.left().isZero() && internal.right().isZero()).isFalse();
                for (Hash child : new Hash[]{internal.left(), internal.right()}) {
                    if (!child.isZero()) {
                        pending.push(child);
                    }
                }
            }
        }
        return count;
    }

    /** Asserts that two updates are the same: root, nodes added (with their bytes) and nodes made stale. */
    static void assertSameUpdate(TreeUpdate actual, TreeUpdate expected) {
        assertThat(actual.previousRoot()).isEqualTo(expected.previousRoot());
        assertThat(actual.root()).isEqualTo(expected.root());
        assertThat(actual.addedNodes().keySet()).isEqualTo(expected.addedNodes().keySet());
        actual.addedNodes().forEach((hash, node) -> assertThat(node).isEqualTo(expected.addedNodes().get(hash)));
        assertThat(actual.staleNodes()).isEqualTo(expected.staleNodes());
    }
}
