package io.pel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bench's output contract; the figures themselves are measurements, never asserted. */
class BenchTest {

    private static final List<String> FIELDS = List.of("workload", "weight", "executor", "threads", "accounts",
            "block_size", "tps", "speedup", "reexec_per_tx", "bound", "efficiency");

    @Test
    void aSmallRunGivesOneRowPerExecutorWithExactlyTheDocumentedJsonFields() {
        BenchConfig config = new BenchConfig(List.of(Workload.Kind.P2P, Workload.Kind.HOTSPOT), List.of(20),
                1.0, List.of(Weight.PURE), 2_000, 2, List.of(1, 2), 1, 1, 7, true, true, false, 0);
        List<BenchRow> rows = new ArrayList<>();
        new Bench(config, line -> { }).run(rows::add);
        // Per workload: sequential, then parallel, blockstm and ordered for each thread count.
        assertThat(rows).extracting(BenchRow::executor).containsExactly(
                "sequential", "parallel", "blockstm", "ordered", "parallel", "blockstm", "ordered",
                "sequential", "parallel", "blockstm", "ordered", "parallel", "blockstm", "ordered");
        Pattern key = Pattern.compile("\"([a-z_]+)\":");
        for (BenchRow row : rows) {
            Matcher m = key.matcher(row.toJson());
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.group(1));
            }
            assertThat(found).containsExactlyElementsOf(FIELDS);
            assertThat(row.speedup()).isPositive();
            assertThat(row.bound()).isBetween(1.0, (double) row.threads());
        }
        // Hotspot at fraction 1.0 with delta adds: no transaction depends on another.
        assertThat(rows.get(11).threads()).isEqualTo(2);
        assertThat(rows.get(11).bound()).isEqualTo(2.0);
        // The sequential row is the reference of its own run.
        assertThat(rows.get(0).speedup()).isEqualTo(1.0);
        assertThat(rows.get(0).extraNanosPerTx()).isZero();
        // Extra core time per transaction: cores kept busy × median, less sequential's median, per transaction.
        BenchRow twoThreads = rows.get(4);
        int cores = Math.min(2, Runtime.getRuntime().availableProcessors());
        double transactions = 2 * 2_000;
        assertThat(twoThreads.extraNanosPerTx()).isCloseTo(
                (cores * twoThreads.medianMillis() - rows.get(0).medianMillis()) * 1e6 / transactions,
                org.assertj.core.data.Offset.offset(1e-6));
        // Scaling: the same executor's 1-thread median over this row's, so that the speed-up splits into what
        // the executor's work costs on one thread and how it spreads. Only rows with a 1-thread partner have it.
        for (int workload = 0; workload < 2; workload++) {
            List<BenchRow> run = rows.subList(workload * 7, workload * 7 + 7);
            assertThat(run.subList(0, 4)).allSatisfy(r -> assertThat(r.scaling()).isNaN());
            for (int i = 4; i < 7; i++) {
                BenchRow two = run.get(i);
                BenchRow one = run.get(i - 3);
                assertThat(one.executor()).isEqualTo(two.executor());
                assertThat(two.scaling()).isCloseTo(one.medianMillis() / two.medianMillis(),
                        org.assertj.core.data.Offset.offset(1e-9));
                assertThat(two.speedup()).isCloseTo(one.speedup() * two.scaling(),
                        org.assertj.core.data.Offset.offset(1e-9));
                assertThat(BenchTable.row(two)).contains(String.format(java.util.Locale.ROOT, "%.2fx", two.scaling()));
            }
        }
        assertThat(BenchTable.header()).contains("scaling");
        // The shares of blocks run with each parallel algorithm: all of them with the forced one, none for the
        // adaptive executor with one thread (it always runs the block sequentially), no figure for sequential.
        for (BenchRow row : rows) {
            switch (row.executor()) {
                case "sequential" -> assertThat(row.blockStmShare()).isNaN();
                case "blockstm" -> assertThat(row.blockStmShare()).isEqualTo(1.0);
                case "ordered" -> {
                    assertThat(row.orderedShare()).isEqualTo(1.0);
                    assertThat(row.blockStmShare()).isZero();
                }
                default -> {
                    if (row.threads() == 1) {
                        assertThat(row.blockStmShare() + row.orderedShare()).isZero();
                    } else {
                        assertThat(row.blockStmShare() + row.orderedShare()).isBetween(0.0, 1.0);
                    }
                }
            }
        }
        assertThat(BenchTable.row(rows.get(2))).endsWith(" 100% stm");
        assertThat(BenchTable.row(rows.get(3))).endsWith(" 100% oc");
        assertThat(BenchTable.row(rows.get(1))).endsWith(" 0%");
        assertThat(BenchTable.row(rows.get(0))).endsWith(" -");
    }

    @Test
    void theCeilingIsMeasuredForEveryThreadCountAboveOneWithTheThreadCountAsItsBound() {
        // Blocks big enough that the adaptive executor's warm-up (a number of transactions) takes few repetitions.
        BenchConfig config = new BenchConfig(List.of(Workload.Kind.P2P), List.of(20), 0, List.of(Weight.PURE), 5_000,
                2, List.of(1, 2, 3), 1, 1, 7, false, false, true, 0);
        List<BenchRow> rows = new ArrayList<>();
        new Bench(config, line -> { }).run(rows::add);
        assertThat(rows).extracting(BenchRow::executor).containsExactly(
                "sequential", "parallel", "parallel", "ceiling", "parallel", "ceiling");
        List<BenchRow> ceilings = rows.stream().filter(r -> r.executor().equals("ceiling")).toList();
        assertThat(ceilings).extracting(BenchRow::threads).containsExactly(2, 3);
        for (BenchRow row : ceilings) {
            assertThat(row.bound()).isEqualTo(row.threads());
            assertThat(row.reexecPerTx()).isZero();
            assertThat(row.speedup()).isPositive();
            assertThat(row.efficiency()).isEqualTo(row.speedup() / row.threads());
            assertThat(row.scaling()).as("a ceiling has no 1-thread row of its own").isNaN();
        }
    }

    @Test
    void aCaseWhoseBlocksRunFasterThanTheLeastRepetitionTimeGetsMoreBlocks() {
        // 2 blocks of 200 pure transfers take well under a millisecond: the case grows to the most blocks allowed.
        BenchConfig config = new BenchConfig(List.of(Workload.Kind.P2P), List.of(20), 0, List.of(Weight.PURE), 200,
                2, List.of(2), 1, 1, 7, false, false, false, 60_000);
        List<String> progress = new ArrayList<>();
        List<BenchRow> rows = new ArrayList<>();
        new Bench(config, progress::add).run(rows::add);
        assertThat(progress).contains("p2p accounts=20 weight=pure: 2 blocks run in under 60000 ms; measuring "
                + Bench.MAX_BLOCK_RUNS + " blocks per repetition (" + Bench.MAX_BLOCKS + " different ones, in turn)");
        // The rows' per-transaction figures count every block run measured.
        BenchRow sequential = rows.get(0);
        assertThat(sequential.tps()).isCloseTo(Bench.MAX_BLOCK_RUNS * 200 / (sequential.medianMillis() / 1e3),
                org.assertj.core.data.Offset.offset(1e-3));
        // (Without a least repetition time the blocks are exactly the ones asked for: the first test's figures.)
    }

    @Test
    void everyTransactionOfTheBlockRunsInExactlyOneCeilingSlice() {
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<io.pel.core.Transaction<Integer, Long, Long>> txs = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            int id = i;
            txs.add(ctx -> {
                seen.add(id);
                return 0L;
            });
        }
        try (Ceiling ceiling = new Ceiling(3)) {
            ceiling.run(new BenchBlock<>(txs, key -> null, io.pel.core.CounterCodec.longs()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 101).boxed().toList());
    }

    @Test
    void aCaseWhoseTwoMeasurementsOfTheSequentialCodeDisagreeIsFlagged() {
        assertThat(Bench.disturbedBaseline("p2p pure", 130, 135)).isNull();
        assertThat(Bench.disturbedBaseline("p2p pure", 130, 120)).isNull();
        assertThat(Bench.disturbedBaseline("p2p pure", 231, 172))
                .startsWith("warning: p2p pure: the sequential executor's code took 0.74 times as long");
        assertThat(Bench.disturbedBaseline("p2p pure", 130, 150)).contains("1.15 times");
    }

    @Test
    void workloadsAreDeterministicPerSeed() {
        Workload w = new Workload(Workload.Kind.P2P, 50, 0, Weight.PURE);
        assertThat(w.block(100, 3, 0).transactions()).isEqualTo(w.block(100, 3, 0).transactions());
        assertThat(w.block(100, 3, 0).transactions()).isNotEqualTo(w.block(100, 4, 0).transactions());
    }
}
