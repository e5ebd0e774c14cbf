package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker that stalls, not holding the commit lock, with transactions it claimed must not hold the block up:
 * another worker takes them over and runs them at the commit point, and the stalled worker, back, drops what it
 * had. Stalls are forced: a transaction blocks the thread of a chosen worker until the test lets it go.
 */
class OrderedRunTakeOverTest {

    private static final int BLOCK = 400;

    /** Where chosen worker threads block, once each: transaction index → the stall. */
    private static final class Stalls {
        final Map<Integer, Stall> at = new ConcurrentHashMap<>();

        Stall add(int tx) {
            Stall s = new Stall();
            at.put(tx, s);
            return s;
        }

        void maybeStall(int tx) throws InterruptedException {
            Stall s = at.get(tx);
            if (s != null && Thread.currentThread() == s.victim && s.stalled.getCount() > 0) {
                s.stalled.countDown();
                s.resume.await();
            }
        }
    }

    private static final class Stall {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        volatile Thread victim;

        void startIn(Thread t) throws InterruptedException {
            victim = t;
            t.start();
            assertThat(stalled.await(10, TimeUnit.SECONDS)).as("%s reached its stall", t.getName()).isTrue();
        }
    }

    /** A transfer among a few accounts, so that later transactions read what earlier ones wrote. */
    private record Transfer(int index, String from, String to, Stalls stalls)
            implements Transaction<String, Long, Long> {
        @Override
        public Long execute(TxContext<String, Long> ctx) throws InterruptedException {
            long f = ctx.read(from);
            long t = ctx.read(to);
            stalls.maybeStall(index);
            ctx.write(from, f - 1);
            ctx.write(to, t + 1);
            return f * 31 + t;
        }
    }

    private static List<Transaction<String, Long, Long>> block(Stalls stalls) {
        List<Transaction<String, Long, Long>> block = new ArrayList<>();
        for (int i = 0; i < BLOCK; i++) {
            block.add(new Transfer(i, "a" + (i * 7 % 13), "a" + ((i * 5 + 3) % 11), stalls));
        }
        return block;
    }

    private static OrderedRun<String, Long, Long> run(List<Transaction<String, Long, Long>> block, int threads) {
        ParallelConfig config = ParallelConfig.defaults(threads).withAdaptive(false)
                .withAlgorithm(ParallelConfig.Algorithm.ORDERED_COMMIT);
        return new OrderedRun<>(1, block, key -> 100L, CounterCodec.longs(), config, 64);
    }

    private static Thread worker(OrderedRun<?, ?, ?> run, int id) {
        return new Thread(() -> run.work(id), "worker-" + id);
    }

    private static void assertSequential(OrderedRun<String, Long, Long> run,
                                         List<Transaction<String, Long, Long>> block) {
        BlockResult<String, Long, Long> parallel = run.result();
        BlockResult<String, Long, Long> sequential = BlockExecutor.sequential().execute(block, key -> 100L,
                CounterCodec.longs());
        assertThat(parallel.outcomes()).isEqualTo(sequential.outcomes());
        assertThat(parallel.writeSet()).isEqualTo(sequential.writeSet());
    }

    /** Waits for {@code workers} to finish: true if they all did in time. */
    private static boolean finish(Thread... workers) throws InterruptedException {
        boolean all = true;
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(20));
            all &= !t.isAlive();
        }
        return all;
    }

    @Test
    void aWorkerStalledInTheFirstTransactionItClaimedIsTakenOver() throws Exception {
        Stalls stalls = new Stalls();
        Stall stall = stalls.add(0);
        List<Transaction<String, Long, Long>> block = block(stalls);
        OrderedRun<String, Long, Long> run = run(block, 2);
        Thread one = worker(run, 1);
        stall.startIn(one); // claims the first chunk, stalls running transaction 0
        Thread zero = worker(run, 0);
        zero.start();
        boolean finished = finish(zero); // only by taking transactions 0..15 over
        stall.resume.countDown();
        assertThat(finish(one, zero)).isTrue();
        assertThat(finished).as("worker 0 committed the block while worker 1 stalled").isTrue();
        assertThat(run.takeOvers()).isPositive();
        assertSequential(run, block);
    }

    @Test
    void aWorkerStalledWithRunsNotCommittedYetIsTakenOverAndDropsThem() throws Exception {
        Stalls stalls = new Stalls();
        Stall first = stalls.add(0);
        Stall second = stalls.add(21);
        List<Transaction<String, Long, Long>> block = block(stalls);
        OrderedRun<String, Long, Long> run = run(block, 3);
        Thread two = worker(run, 2);
        first.startIn(two); // claims 0..15, stalls in 0: the commit point stays there
        Thread one = worker(run, 1);
        second.startIn(one); // claims 16..31, runs 16..20 ahead of the point, stalls in 21
        first.resume.countDown();
        Thread zero = worker(run, 0);
        zero.start();
        // Worker 2 commits 0..15; then 16..31 (worker 1's, runs done or not) are taken over.
        boolean finished = finish(zero, two);
        second.resume.countDown();
        assertThat(finish(one, zero, two)).isTrue();
        assertThat(finished).as("workers 0 and 2 committed the block while worker 1 stalled").isTrue();
        assertThat(run.takeOvers()).isPositive();
        assertSequential(run, block);
    }
}
