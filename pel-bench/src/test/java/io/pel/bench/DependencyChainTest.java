package io.pel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.BaseState;
import io.pel.core.CounterCodec;
import io.pel.core.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyChainTest {

    private static int longest(List<Transaction<String, Long, Long>> block) {
        return DependencyChain.longest(block, BaseState.empty(), CounterCodec.longs());
    }

    private static Transaction<String, Long, Long> readWrite(String read, String write) {
        return ctx -> {
            Long v = ctx.read(read);
            ctx.write(write, (v == null ? 0 : v) + 1);
            return 0L;
        };
    }

    @Test
    void aReadOfTheLastWriterMakesAChain() {
        List<Transaction<String, Long, Long>> block = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            block.add(readWrite("k", "k"));
        }
        assertThat(longest(block)).isEqualTo(5);
    }

    @Test
    void disjointKeysAndBlindWritesDoNotDepend() {
        List<Transaction<String, Long, Long>> block = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            block.add(readWrite("r" + i, "w" + i));
            block.add(ctx -> {
                ctx.write("shared", 1L); // write after write: no true dependency
                return 0L;
            });
        }
        assertThat(longest(block)).isEqualTo(1);
    }

    @Test
    void addsDoNotDependOnAddsButAReaderDependsOnThemAll() {
        List<Transaction<String, Long, Long>> block = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            block.add(ctx -> {
                ctx.add("counter", 1);
                return 0L;
            });
        }
        assertThat(longest(block)).isEqualTo(1);
        block.add(ctx -> ctx.readCounter("counter"));
        assertThat(longest(block)).isEqualTo(2);
    }

    @Test
    void aFailedTransactionsWritesAreNoDependency() {
        List<Transaction<String, Long, Long>> block = new ArrayList<>();
        block.add(ctx -> {
            ctx.write("k", 1L);
            throw new IllegalStateException("fails");
        });
        block.add(readWrite("k", "x"));
        assertThat(longest(block)).isEqualTo(1);
    }

    @Test
    void theBoundIsCappedByThreadsAndByTheChain() {
        List<io.pel.core.Transaction<Integer, Long, Long>> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(ctx -> 0L);
        }
        List<BenchBlock<Integer, Long, Long>> blocks = List.of(new BenchBlock<>(four, BaseState.empty(),
                CounterCodec.longs()));
        // 4 transactions, longest chain 2: two threads could at best halve the time; eight threads too.
        assertThat(Bench.bound(2, blocks, new long[] {2})).isEqualTo(2.0);
        assertThat(Bench.bound(8, blocks, new long[] {2})).isEqualTo(2.0);
        assertThat(Bench.bound(1, blocks, new long[] {2})).isEqualTo(1.0);
    }
}
