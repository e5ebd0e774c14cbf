package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CommitTableTest {

    /** A key with a chosen hash: a few hashes for many keys force probing and the overflow map. */
    private record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** What the table should hold: key → {value, version}. */
    private record Committed(Object value, int version) {
    }

    /**
     * Random puts against a model, each with a {@code where} that {@link CommitTable#find} gave some steps
     * earlier (as a run's read does before later commits), over a table far too small for its keys. After
     * every step, every key's version, value and {@code shows} answer match the model, and so does the
     * collected write set at the end.
     */
    @Test
    void putsWithStaleWheresMatchAModel() {
        for (int round = 0; round < 200; round++) {
            SplittableRandom random = new SplittableRandom(round);
            CommitTable table = new CommitTable(4 + random.nextInt(8));
            Map<Key, Committed> model = new HashMap<>();
            List<Key> keys = new ArrayList<>();
            int hashes = 1 + random.nextInt(6);
            for (int k = 0; k < 5 + random.nextInt(60); k++) {
                keys.add(new Key(k, random.nextInt(hashes)));
            }
            // Where each key was found, and the version then, as a run would have recorded it.
            Map<Key, int[]> seen = new HashMap<>();
            for (int step = 0; step < 300; step++) {
                Key key = keys.get(random.nextInt(keys.size()));
                if (random.nextInt(3) == 0 || !seen.containsKey(key)) {
                    int where = table.find(key);
                    seen.put(key, new int[] {where, table.versionOf(key)});
                }
                int[] read = seen.get(key);
                Committed before = model.get(key);
                assertThat(table.shows(key, read[0], read[1])).as("round %d step %d", round, step)
                        .isEqualTo(read[1] == (before == null ? 0 : before.version()));
                Object value = random.nextInt(5) == 0 ? CommitTable.DELETED : "v" + step;
                int version = step + 1;
                table.put(key, read[0], value, version);
                model.put(key, new Committed(value, version));
                for (Key k : keys) {
                    Committed c = model.get(k);
                    assertThat(table.versionOf(k)).as("round %d step %d key %s", round, step, k)
                            .isEqualTo(c == null ? 0 : c.version());
                    assertThat(table.committedValue(k)).isEqualTo(c == null ? null : c.value());
                    int where = table.find(k);
                    if (where >= 0) {
                        assertThat(table.version(where)).isEqualTo(c.version());
                        assertThat(table.value(where)).isEqualTo(c.value());
                    }
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
            WriteSet.Unique<Key, Object> out = new WriteSet.Unique<>(0);
            table.collect(0, table.capacity(), out);
            table.collectOverflow(out);
            WriteSet.Builder<Key, Object> expected = WriteSet.builder(model.size());
            model.forEach((k, c) -> {
                if (c.value() == CommitTable.DELETED) {
                    expected.delete(k);
                } else {
                    expected.put(k, c.value());
                }
            });
            assertThat(out.build()).as("round %d", round).isEqualTo(expected.build());
        }
    }

    @Test
    void aKeyFoundAbsentStaysAbsentUntilItIsPutAndAnotherKeyInItsSlotDoesNotChangeThat() {
        CommitTable table = new CommitTable(4);
        Key a = new Key(1, 3);
        Key b = new Key(2, 3); // same hash: b's probe ends where a's does until a is there
        int whereA = table.find(a);
        int whereB = table.find(b);
        assertThat(whereA).isEqualTo(whereB).isLessThan(CommitTable.NOWHERE);
        table.put(b, whereB, "b", 1);
        assertThat(table.shows(a, whereA, 0)).isTrue(); // its slot is taken, but by b: a is still absent
        assertThat(table.shows(b, whereB, 0)).isFalse();
        table.put(a, whereA, "a", 2); // the slot it was given is taken: found again, one further
        assertThat(table.shows(a, whereA, 0)).isFalse();
        assertThat(table.versionOf(a)).isEqualTo(2);
        assertThat(table.committedValue(a)).isEqualTo("a");
        assertThat(table.committedValue(b)).isEqualTo("b");
    }
}
