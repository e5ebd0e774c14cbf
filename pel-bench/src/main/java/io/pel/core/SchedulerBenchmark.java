package io.pel.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Task dispatch: the scheduler's cost per transaction when transactions do nothing (no memory, no
 * conflicts), i.e. taking and finishing one execution and one validation task each, alone and with two
 * threads sharing a block.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerBenchmark {

    static final int BLOCK = 10_000;

    /** One block's scheduler, rebuilt by whichever thread finds it done. */
    @State(Scope.Benchmark)
    public static class Shared {
        volatile Scheduler scheduler = new Scheduler(BLOCK, 2, new IdleSignal(2));

        synchronized Scheduler fresh(Scheduler done) {
            if (scheduler == done) {
                scheduler = new Scheduler(BLOCK, 2, new IdleSignal(2));
            }
            return scheduler;
        }
    }

    /** Each benchmark thread's worker number. */
    @State(Scope.Thread)
    public static class Worker {
        private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();
        final int id = NEXT.getAndIncrement() % 2;
    }

    private static void drain(Shared shared, int w) {
        Scheduler s = shared.scheduler;
        long task = Scheduler.NONE;
        while (!s.done()) {
            if (task == Scheduler.NONE) {
                task = s.nextTask(w);
                if (task == Scheduler.NONE && !s.workAvailable()) {
                    s.checkDone();
                }
            } else if (Scheduler.kindOf(task) == Scheduler.EXECUTE) {
                task = s.finishExecution(Scheduler.txOf(task), Scheduler.incarnationOf(task), false);
            } else {
                task = s.finishValidation(Scheduler.txOf(task), false);
            }
        }
        shared.fresh(s);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BLOCK)
    public void dispatchOneThread(Shared shared, Worker worker) {
        drain(shared, worker.id);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BLOCK)
    public void dispatchTwoThreads(Shared shared, Worker worker) {
        drain(shared, worker.id);
    }
}
