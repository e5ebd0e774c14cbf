package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReadSetTest {

    /** One read as the model keeps it. */
    private record Read(Object key, VersionChain chain, int kind, Version seen, long counter, long[] bound) {
    }

    private static void fill(ReadSet set, List<Read> model, SplittableRandom random, int reads) {
        for (int i = 0; i < reads; i++) {
            String key = "k" + random.nextInt(1_000);
            VersionChain chain = random.nextBoolean() ? new VersionChain(key) : null;
            Version seen = new Version(random.nextInt(100), 0, Version.VALUE, i, 0, false);
            if (random.nextInt(5) == 0) {
                long[] bound = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
                boolean fits = random.nextBoolean();
                set.addBound(key, chain, bound[0], bound[1], bound[2], bound[3], fits);
                model.add(new Read(key, chain, fits ? ReadSet.BOUND_FITS : ReadSet.BOUND_MISSES, null, 0, bound));
            } else {
                int kind = random.nextInt(4); // BASE, EXACT, DELTAS_ON_VALUE, DELTAS_ON_BASE
                long counter = kind >= Resolution.DELTAS_ON_VALUE ? random.nextLong() : 0;
                set.add(key, chain, kind, seen, counter);
                model.add(new Read(key, chain, kind, seen, counter, null));
            }
        }
    }

    private static void check(ReadSet set, List<Read> model) {
        assertThat(set.size()).isEqualTo(model.size());
        for (int i = 0; i < model.size(); i++) {
            Read r = model.get(i);
            assertThat(set.key(i)).as("key %d", i).isSameAs(r.key());
            assertThat(set.chain(i)).as("chain %d", i).isSameAs(r.chain());
            assertThat(set.kind(i)).as("kind %d", i).isEqualTo(r.kind());
            assertThat(set.isBound(i)).isEqualTo(r.bound() != null);
            if (r.bound() != null) {
                assertThat(set.boundFits(i)).isEqualTo(r.kind() == ReadSet.BOUND_FITS);
                assertThat(new long[] {set.boundOffset(i), set.boundDelta(i), set.boundMin(i), set.boundMax(i)})
                        .containsExactly(r.bound());
            } else {
                assertThat(set.seen(i)).as("seen %d", i).isSameAs(r.seen());
                assertThat(set.counter(i)).as("counter %d", i).isEqualTo(r.counter());
            }
        }
        // chainOf: the chain of the first read of a key that found one.
        for (Read r : model) {
            VersionChain expected = model.stream().filter(m -> m.key().equals(r.key()) && m.chain() != null)
                    .map(Read::chain).findFirst().orElse(null);
            assertThat(set.chainOf(new String((String) r.key()))).isSameAs(expected);
        }
    }

    @Test
    void everyReadComesBackAsAddedFromTheFieldsAndTheArraysAlikeAlsoAfterClearing() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int round = 0; round < 300; round++) {
            ReadSet set = new ReadSet();
            List<Read> model = new ArrayList<>();
            // 0, 1 and 2 reads live in fields only; more spill into arrays that grow several times.
            fill(set, model, random, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(40));
            check(set, model);
            // A read set that was cleared (a suspended run's) is reused and must show only the new reads.
            set.clear();
            model.clear();
            check(set, model);
            assertThat(set.counter(0)).isZero();
            fill(set, model, random, random.nextInt(20));
            check(set, model);
        }
    }
}
