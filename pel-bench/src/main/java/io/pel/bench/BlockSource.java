package io.pel.bench;

/** Where a bench case's blocks come from: a seeded generator that gives the same block for the same inputs. */
interface BlockSource {

    /** The workload's name in the rows, e.g. {@code p2p}. */
    String name();

    /** The transaction weight's label in the rows. */
    String weightLabel();

    /** Block {@code index} (0, 1, … in order) of {@code size} transactions for {@code seed}. */
    BenchBlock<?, ?, ?> block(int size, long seed, int index);
}
