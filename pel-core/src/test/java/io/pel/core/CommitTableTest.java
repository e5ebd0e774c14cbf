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

    /**
     * Random puts against a model, each with a {@code where} that {@link CommitTable#find} gave some steps
     * earlier (as a run's read does before later commits), over a table far too small for its keys. After
     * every step, every key's value and {@code shows} answer match the model (by identity: a value is its own
     * version), and so does the collected write set at the end. Some puts write back an object the key held
     * before, which a read that got that object must still pass.
     */
    @Test
    void putsWithStaleWheresMatchAModel() {
        for (int round = 0; round < 200; round++) {
            SplittableRandom random = new SplittableRandom(round);
            CommitTable table = new CommitTable(4 + random.nextInt(8));
            Map<Key, Object> model = new HashMap<>();
            List<Key> keys = new ArrayList<>();
            int hashes = 1 + random.nextInt(6);
            for (int k = 0; k < 5 + random.nextInt(60); k++) {
                keys.add(new Key(k, random.nextInt(hashes)));
            }
            // Where each key was found, and the value it held then, as a run would have recorded them.
            Map<Key, Integer> whereSeen = new HashMap<>();
            Map<Key, Object> valueSeen = new HashMap<>();
            List<Object> written = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                Key key = keys.get(random.nextInt(keys.size()));
                if (random.nextInt(3) == 0 || !whereSeen.containsKey(key)) {
                    whereSeen.put(key, table.find(key));
                    valueSeen.put(key, table.committedValue(key));
                }
                int where = whereSeen.get(key);
                Object seen = valueSeen.get(key);
                assertThat(table.shows(key, where, seen)).as("round %d step %d", round, step)
                        .isEqualTo(seen == model.get(key));
                int pick = random.nextInt(6);
                Object value = pick == 0 ? CommitTable.DELETED
                        : pick == 1 && !written.isEmpty() ? written.get(random.nextInt(written.size()))
                        : new String("v" + step);
                written.add(value);
                table.put(key, where, value);
                model.put(key, value);
                for (Key k : keys) {
                    Object c = model.get(k);
                    assertThat(table.committedValue(k)).as("round %d step %d key %s", round, step, k).isSameAs(c);
                    int at = table.find(k);
                    if (at >= 0) {
                        assertThat(table.value(at)).isSameAs(c);
                    }
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
            WriteSet.Unique<Key, Object> out = new WriteSet.Unique<>(0);
            table.collect(0, table.capacity(), out);
            table.collectOverflow(out);
            WriteSet.Builder<Key, Object> expected = WriteSet.builder(model.size());
            model.forEach((k, c) -> {
                if (c == CommitTable.DELETED) {
                    expected.delete(k);
                } else {
                    expected.put(k, c);
                }
            });
            assertThat(out.build()).as("round %d", round).isEqualTo(expected.build());
        }
    }

    @Test
    void aValueEqualButNotTheSameObjectCountsAsChanged() {
        CommitTable table = new CommitTable(4);
        Key a = new Key(1, 1);
        String first = new String("x");
        table.put(a, table.find(a), first);
        int where = table.find(a);
        table.put(a, where, new String("x"));
        assertThat(table.shows(a, where, first)).isFalse(); // equal is not enough: only the same object is safe
        table.put(a, where, first);
        assertThat(table.shows(a, where, first)).isTrue();
    }

    @Test
    void aKeyFoundAbsentStaysAbsentUntilItIsPutAndAnotherKeyInItsSlotDoesNotChangeThat() {
        CommitTable table = new CommitTable(4);
        Key a = new Key(1, 3);
        Key b = new Key(2, 3); // same hash: b's probe ends where a's does until a is there
        int whereA = table.find(a);
        int whereB = table.find(b);
        assertThat(whereA).isEqualTo(whereB).isLessThan(CommitTable.NOWHERE);
        table.put(b, whereB, "b");
        assertThat(table.shows(a, whereA, null)).isTrue(); // its slot is taken, but by b: a is still absent
        assertThat(table.shows(b, whereB, null)).isFalse();
        table.put(a, whereA, "a"); // the slot it was given is taken: found again, one further
        assertThat(table.shows(a, whereA, null)).isFalse();
        assertThat(table.shows(a, whereA, "a")).isTrue();
        assertThat(table.committedValue(a)).isEqualTo("a");
        assertThat(table.committedValue(b)).isEqualTo("b");
    }
}
