package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics of the oracle itself: hand-written cases for each rule of {@link TxContext}, then the
 * sequential executor against the independent {@link ReferenceModel} on thousands of random blocks.
 */
class SequentialExecutorTest {

    private final BlockExecutor sequential = BlockExecutor.sequential();

    @AfterEach
    void close() {
        sequential.close();
    }

    @SafeVarargs
    private BlockResult<String, Long, Object> run(Map<String, Long> base, Transaction<String, Long, Object>... txs) {
        return sequential.execute(Arrays.asList(txs), BaseState.of(base), CounterCodec.longs());
    }

    private static Outcome<Object> ok(Object output) {
        return new Outcome.Success<>(output);
    }

    private static Outcome<Object> failed(Class<? extends Throwable> type, String message) {
        return new Outcome.Failure<>(type.getName(), message);
    }

    // --- reads and writes ---------------------------------------------------------------------------

    @Test
    void readsBaseStateAndNullForAbsentKeys() {
        var r = run(Map.of("a", 1L), ctx -> Arrays.asList(ctx.read("a"), ctx.read("b")));
        assertThat(r.outcomes()).containsExactly(ok(Arrays.asList(1L, null)));
        assertThat(r.writeSet().size()).isZero();
    }

    @Test
    void transactionReadsItsOwnWrites() {
        var r = run(Map.of("a", 1L), ctx -> {
            ctx.write("a", 2L);
            Long first = ctx.read("a");
            ctx.write("a", 3L);
            return List.of(first, ctx.read("a"));
        });
        assertThat(r.outcomes()).containsExactly(ok(List.of(2L, 3L)));
        assertThat(r.writeSet().value("a")).isEqualTo(3L);
    }

    @Test
    void laterTransactionsSeeEarlierWrites() {
        var r = run(Map.of("a", 1L),
                ctx -> {
                    ctx.write("a", ctx.read("a") + 10);
                    return null;
                },
                ctx -> ctx.read("a"));
        assertThat(r.outcomes()).containsExactly(ok(null), ok(11L));
        assertThat(r.writeSet().value("a")).isEqualTo(11L);
    }

    @Test
    void writeSetHoldsOnlyChangedKeysEvenWhenTheValueIsUnchanged() {
        var r = run(Map.of("a", 1L, "b", 2L), ctx -> {
            ctx.write("a", 1L);
            return ctx.read("b");
        });
        assertThat(r.writeSet().keys()).containsExactly("a");
        assertThat(r.writeSet().value("a")).isEqualTo(1L);
        assertThat(r.writeSet().contains("b")).isFalse();
    }

    @Test
    void writeOfNullFailsTheTransactionWithoutChangingAnything() {
        var r = run(Map.of("a", 1L),
                ctx -> {
                    ctx.write("b", 5L);
                    ctx.write("a", null);
                    return "unreachable";
                },
                ctx -> ctx.read("a"));
        assertThat(r.outcome(0)).isEqualTo(failed(NullPointerException.class, "value (use delete to remove a key)"));
        assertThat(r.outcome(1)).isEqualTo(ok(1L));
        assertThat(r.writeSet().size()).isZero();
    }

    @Test
    void nullKeyFailsTheTransaction() {
        var r = run(Map.of(), ctx -> ctx.read(null));
        assertThat(r.outcome(0).succeeded()).isFalse();
        assertThat(((Outcome.Failure<Object>) r.outcome(0)).errorType())
                .isEqualTo(NullPointerException.class.getName());
    }

    // --- deletes ------------------------------------------------------------------------------------

    @Test
    void deleteThenReadIsNullInTheSameAndLaterTransactions() {
        var r = run(Map.of("a", 1L),
                ctx -> {
                    ctx.delete("a");
                    return ctx.read("a");
                },
                ctx -> ctx.read("a"));
        assertThat(r.outcomes()).containsExactly(ok(null), ok(null));
        assertThat(r.writeSet().isDeleted("a")).isTrue();
        assertThat(r.writeSet().value("a")).isNull();
    }

    @Test
    void deleteOfAnAbsentKeyIsStillAChange() {
        var r = run(Map.of(), ctx -> {
            ctx.delete("x");
            return null;
        });
        assertThat(r.writeSet().contains("x")).isTrue();
        assertThat(r.writeSet().isDeleted("x")).isTrue();
    }

    @Test
    void writeAfterDeleteRestoresTheKey() {
        var r = run(Map.of("a", 1L),
                ctx -> {
                    ctx.delete("a");
                    ctx.write("a", 7L);
                    return ctx.read("a");
                },
                ctx -> {
                    ctx.delete("a");
                    return null;
                },
                ctx -> {
                    ctx.write("a", 9L);
                    return null;
                });
        assertThat(r.outcome(0)).isEqualTo(ok(7L));
        assertThat(r.writeSet().value("a")).isEqualTo(9L);
        assertThat(r.writeSet().isDeleted("a")).isFalse();
    }

    // --- counters -----------------------------------------------------------------------------------

    @Test
    void addToAnAbsentKeyStartsFromZero() {
        var r = run(Map.of(), ctx -> {
            ctx.add("c", 5);
            ctx.add("c", -2);
            return ctx.read("c");
        });
        assertThat(r.outcomes()).containsExactly(ok(3L));
        assertThat(r.writeSet().value("c")).isEqualTo(3L);
    }

    @Test
    void addOfZeroMaterializesTheCounter() {
        var r = run(Map.of(), ctx -> {
            ctx.add("c", 0);
            return null;
        });
        assertThat(r.writeSet().value("c")).isEqualTo(0L);
    }

    @Test
    void addsFromSeveralTransactionsAccumulateOnTheBase() {
        var r = run(Map.of("c", 100L),
                ctx -> {
                    ctx.add("c", 1);
                    return null;
                },
                ctx -> {
                    ctx.add("c", 2);
                    return ctx.readCounter("c");
                },
                ctx -> {
                    ctx.add("c", 3);
                    return null;
                });
        assertThat(r.outcome(1)).isEqualTo(ok(103L));
        assertThat(r.writeSet().value("c")).isEqualTo(106L);
    }

    @Test
    void addAfterWriteAndAfterDelete() {
        var r = run(Map.of("a", 10L, "b", 10L),
                ctx -> {
                    ctx.write("a", 50L);
                    ctx.add("a", 5);
                    ctx.delete("b");
                    ctx.add("b", 5);
                    return List.of(ctx.read("a"), ctx.read("b"));
                });
        assertThat(r.outcomes()).containsExactly(ok(List.of(55L, 5L)));
        assertThat(r.writeSet().value("a")).isEqualTo(55L);
        assertThat(r.writeSet().value("b")).isEqualTo(5L);
    }

    @Test
    void writeAndDeleteAfterAddReplaceIt() {
        var r = run(Map.of("a", 10L, "b", 10L),
                ctx -> {
                    ctx.add("a", 5);
                    ctx.write("a", 1L);
                    ctx.add("b", 5);
                    ctx.delete("b");
                    return List.of(ctx.readCounter("a"), ctx.readCounter("b"));
                });
        assertThat(r.outcomes()).containsExactly(ok(List.of(1L, 0L)));
        assertThat(r.writeSet().value("a")).isEqualTo(1L);
        assertThat(r.writeSet().isDeleted("b")).isTrue();
    }

    @Test
    void addWrapsOnOverflow() {
        var r = run(Map.of("a", Long.MAX_VALUE),
                ctx -> {
                    ctx.add("a", 1);
                    ctx.add("b", Long.MIN_VALUE);
                    ctx.add("b", -1);
                    return null;
                });
        assertThat(r.writeSet().value("a")).isEqualTo(Long.MIN_VALUE);
        assertThat(r.writeSet().value("b")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void readCounterIsZeroWhenAbsentOrDeleted() {
        var r = run(Map.of("a", 4L), ctx -> {
            long absent = ctx.readCounter("x");
            ctx.delete("a");
            return List.of(absent, ctx.readCounter("a"));
        });
        assertThat(r.outcomes()).containsExactly(ok(List.of(0L, 0L)));
    }

    // --- tryAdd -------------------------------------------------------------------------------------

    @Test
    void tryAddAppliesWithinBoundsInclusive() {
        var r = run(Map.of("b", 10L), ctx -> List.of(
                ctx.tryAdd("b", -10, 0, 100), // exactly at min
                ctx.tryAdd("b", 100, 0, 100), // exactly at max
                ctx.readCounter("b")));
        assertThat(r.outcomes()).containsExactly(ok(List.of(true, true, 100L)));
        assertThat(r.writeSet().value("b")).isEqualTo(100L);
    }

    @Test
    void tryAddOutsideBoundsChangesNothing() {
        var r = run(Map.of("b", 10L), ctx -> List.of(
                ctx.tryAdd("b", -11, 0, 100),
                ctx.tryAdd("b", 91, 0, 100),
                ctx.tryAdd("absent", -1, 0, 100),
                ctx.readCounter("b")));
        assertThat(r.outcomes()).containsExactly(ok(List.of(false, false, false, 10L)));
        assertThat(r.writeSet().size()).isZero();
    }

    @Test
    void tryAddRejectsOverflowEvenWithTheWidestBounds() {
        var r = run(Map.of("b", Long.MAX_VALUE - 1, "c", Long.MIN_VALUE), ctx -> List.of(
                ctx.tryAdd("b", 2, Long.MIN_VALUE, Long.MAX_VALUE),
                ctx.tryAdd("b", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                ctx.tryAdd("c", -1, Long.MIN_VALUE, Long.MAX_VALUE),
                ctx.readCounter("b")));
        assertThat(r.outcomes()).containsExactly(ok(List.of(false, true, false, Long.MAX_VALUE)));
        assertThat(r.writeSet().keys()).containsExactly("b");
    }

    @Test
    void tryAddSeesOwnWritesAndEarlierTransactions() {
        var r = run(Map.of(),
                ctx -> {
                    ctx.add("budget", 5);
                    return ctx.tryAdd("budget", -5, 0, Long.MAX_VALUE);
                },
                ctx -> ctx.tryAdd("budget", -1, 0, Long.MAX_VALUE),
                ctx -> {
                    ctx.write("budget", 3L);
                    return ctx.tryAdd("budget", -3, 0, Long.MAX_VALUE);
                });
        assertThat(r.outcomes()).containsExactly(ok(true), ok(false), ok(true));
        assertThat(r.writeSet().value("budget")).isEqualTo(0L);
    }

    @Test
    void tryAddWithAnEmptyRangeFailsTheTransaction() {
        var r = run(Map.of(), ctx -> ctx.tryAdd("b", 1, 5, 4));
        assertThat(r.outcome(0)).isEqualTo(failed(IllegalArgumentException.class, "min 5 > max 4"));
    }

    // --- failures -----------------------------------------------------------------------------------

    @Test
    void failedTransactionDiscardsAllItsWrites() {
        var r = run(Map.of("a", 1L, "b", 2L, "c", 3L),
                ctx -> {
                    ctx.write("a", 100L);
                    ctx.delete("b");
                    ctx.add("c", 5);
                    ctx.write("new", 1L);
                    throw new IllegalStateException("boom");
                },
                ctx -> List.of(ctx.read("a"), ctx.read("b"), ctx.read("c"), Arrays.asList(ctx.read("new"))));
        assertThat(r.outcome(0)).isEqualTo(failed(IllegalStateException.class, "boom"));
        assertThat(r.outcome(1)).isEqualTo(ok(List.of(1L, 2L, 3L, Arrays.asList((Long) null))));
        assertThat(r.writeSet().size()).isZero();
    }

    @Test
    void failuresCompareByTypeAndMessage() {
        var r = run(Map.of(),
                ctx -> {
                    throw new IOException("disk");
                },
                ctx -> {
                    throw new IllegalStateException();
                });
        assertThat(r.outcome(0)).isEqualTo(Outcome.Failure.of(new IOException("disk")));
        assertThat(r.outcome(0)).isNotEqualTo(Outcome.Failure.of(new IOException("other")));
        assertThat(r.outcome(0)).isNotEqualTo(Outcome.Failure.of(new IllegalStateException("disk")));
        assertThat(r.outcome(1)).isEqualTo(new Outcome.Failure<>("java.lang.IllegalStateException", null));
        assertThat(r.outcome(1).succeeded()).isFalse();
    }

    @Test
    void anErrorFailsTheWholeBlock() {
        assertThatThrownBy(() -> run(Map.of(), ctx -> {
            throw new AssertionError("bug");
        })).isInstanceOf(BlockExecutionException.class).hasCauseInstanceOf(AssertionError.class);
    }

    // --- blocks without counters --------------------------------------------------------------------

    @Test
    void countersWithoutACodecFailTheTransaction() {
        List<Transaction<String, Long, Object>> txs = List.of(
                ctx -> {
                    ctx.add("c", 1);
                    return null;
                },
                ctx -> ctx.readCounter("c"),
                ctx -> ctx.tryAdd("c", 1, 0, 10),
                ctx -> {
                    ctx.write("c", 4L);
                    return ctx.read("c");
                });
        var r = sequential.execute(txs, BaseState.of(Map.of("c", 1L)));
        String uoe = UnsupportedOperationException.class.getName();
        for (int i = 0; i < 3; i++) {
            assertThat(r.outcome(i).succeeded()).as("tx %d", i).isFalse();
            assertThat(((Outcome.Failure<Object>) r.outcome(i)).errorType()).as("tx %d", i).isEqualTo(uoe);
        }
        assertThat(r.outcome(3)).isEqualTo(ok(4L));
        assertThat(r.writeSet().value("c")).isEqualTo(4L);
    }

    // --- the executor -------------------------------------------------------------------------------

    @Test
    void emptyBlock() {
        var r = run(Map.of("a", 1L));
        assertThat(r.outcomes()).isEmpty();
        assertThat(r.writeSet().size()).isZero();
        assertThat(r.stats().transactions()).isZero();
    }

    @Test
    void statsCountEveryTransactionOnce() {
        var r = run(Map.of(), ctx -> null, ctx -> {
            throw new IllegalStateException();
        }, ctx -> null);
        assertThat(r.stats().transactions()).isEqualTo(3);
        assertThat(r.stats().executions()).isEqualTo(3);
        assertThat(r.stats().reexecutions()).isZero();
        assertThat(r.trace()).isEmpty();
        assertThat(sequential.threads()).isEqualTo(1);
    }

    @Test
    void baseStateIsNotChanged() {
        Map<String, Long> base = new HashMap<>(Map.of("a", 1L));
        sequential.execute(List.<Transaction<String, Long, Object>>of(ctx -> {
            ctx.write("a", 2L);
            ctx.delete("a");
            return null;
        }), BaseState.of(base), CounterCodec.longs());
        assertThat(base).containsExactly(Map.entry("a", 1L));
    }

    @Test
    void closedExecutorRefusesBlocks() {
        sequential.close();
        assertThatThrownBy(() -> run(Map.of(), ctx -> null)).isInstanceOf(IllegalStateException.class);
    }

    // --- the oracle against the model ---------------------------------------------------------------

    @Test
    void hotKeyAndFailureBlocksMatchTheModel() {
        RandomBlocks.Block adds = RandomBlocks.block("hot adds", Map.of("hot", Long.MAX_VALUE - 3), List.of(
                List.of(new RandomBlocks.Add("hot", 1)),
                List.of(new RandomBlocks.Add("hot", 5)),
                List.of(new RandomBlocks.ReadCounter("hot"), new RandomBlocks.Add("hot", Long.MIN_VALUE)),
                List.of(new RandomBlocks.TryAdd("hot", 1, Long.MIN_VALUE, Long.MAX_VALUE))));
        assertMatchesModel(adds);
        RandomBlocks.Block failures = RandomBlocks.block("all fail", Map.of(), List.of(
                List.of(new RandomBlocks.Write("a", 1), new RandomBlocks.ThrowIf(1, 0)),
                List.of(new RandomBlocks.Read("a"), new RandomBlocks.ThrowIf(1, 0))));
        var expected = ReferenceModel.run(failures);
        assertThat(expected.outcomes()).allMatch(o -> !o.succeeded());
        assertMatchesModel(failures);
    }

    /** Thousands of random blocks: the sequential executor does exactly what the model says. */
    @Test
    void randomBlocksMatchTheReferenceModel() {
        int blocks = Math.max(1000, Integer.getInteger("pel.test.blocks", 3000));
        long baseSeed = Long.getLong("pel.test.baseSeed", 0x9E11_C0DEL);
        SplittableRandom seeds = new SplittableRandom(baseSeed ^ 0x5E0_0000L);
        int failures = 0;
        int changedKeys = 0;
        for (int i = 0; i < blocks; i++) {
            RandomBlocks.Block block = RandomBlocks.generate(seeds.nextLong(), false);
            var expected = assertMatchesModel(block);
            failures += (int) expected.outcomes().stream().filter(o -> !o.succeeded()).count();
            changedKeys += expected.writeSet().size();
        }
        // The generator must actually exercise failures and writes, or the property proves little.
        assertThat(failures).isPositive();
        assertThat(changedKeys).isPositive();
    }

    private ReferenceModel.Expected assertMatchesModel(RandomBlocks.Block block) {
        var expected = ReferenceModel.run(block);
        var actual = sequential.execute(block.transactions(), block.baseState(), CounterCodec.longs());
        String diff = expected.differencesFrom(actual);
        assertThat(diff).as("sequential executor differs from the reference model on\n%s"
                + "(re-run: RandomBlocks.generate(%dL, false))", block.describe(), block.seed()).isNull();
        return expected;
    }
}
