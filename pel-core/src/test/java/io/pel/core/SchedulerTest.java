package io.pel.core;

import static io.pel.core.Scheduler.EXECUTE;
import static io.pel.core.Scheduler.NONE;
import static io.pel.core.Scheduler.VALIDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Each transition of the scheduler, driven by hand, and the races the Block-STM paper calls out. */
class SchedulerTest {

    /** Worker numbers used below. */
    private static final int A = 0;
    private static final int B = 1;

    private static long exec(int tx, int inc) {
        return Scheduler.task(EXECUTE, tx, inc);
    }

    private static long val(int tx, int inc) {
        return Scheduler.task(VALIDATE, tx, inc);
    }

    private static String state(Scheduler s, int tx) {
        return Scheduler.describe(s.status(tx));
    }

    /** One transaction per claim, as in the paper, so each worker's next execution is predictable. */
    private static Scheduler scheduler(int transactions) {
        return new Scheduler(transactions, 2, 1, new IdleSignal(2));
    }

    @Test
    void runsOfExecutedTransactionsAreClaimedForValidationAtOnce() {
        Scheduler s = new Scheduler(10, 2, 4, new IdleSignal(2));
        for (int tx = 0; tx < 6; tx++) {
            assertThat(s.nextTask(A)).isEqualTo(exec(tx, 0));
        }
        // 1..5 finish while 0 still runs: the cursor waits at 0, so none of them validates itself.
        for (int tx = 1; tx < 6; tx++) {
            assertThat(s.finishExecution(tx, 0, true)).isEqualTo(NONE);
        }
        assertThat(s.finishExecution(0, 0, true)).isEqualTo(val(0, 0));
        s.finishValidation(0, false);
        // One claim takes 1..4 (the chunk), the next 5.
        assertThat(s.nextTask(B)).isEqualTo(val(1, 0));
        assertThat(s.validationIdx()).isEqualTo(5);
        // Meanwhile tx 3 is aborted by someone else and re-runs: B's claim of it comes to nothing.
        assertThat(s.tryValidationAbort(3, 0)).isTrue();
        assertThat(s.finishValidation(3, true)).isEqualTo(exec(3, 1));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(val(4, 0));
        assertThat(s.finishValidation(4, false)).isEqualTo(NONE);
        // The re-run of 3 finds the cursor past it and validates itself.
        assertThat(s.finishExecution(3, 1, false)).isEqualTo(val(3, 1));
    }

    @Test
    void executionsAreClaimedInChunksAndTriedInOrder() {
        Scheduler s = new Scheduler(20, 2, 8, new IdleSignal(2));
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(exec(8, 0));
        assertThat(s.executionIdx()).isEqualTo(16);
        // A finishes 0 and validates it (the cursor waited for it), then goes on with its own chunk.
        assertThat(s.finishExecution(0, 0, true)).isEqualTo(val(0, 0));
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(exec(1, 0));
        // A transaction of a claimed chunk that someone else ran meanwhile is skipped, not run twice.
        assertThat(s.finishExecution(8, 0, true)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(exec(9, 0));
        assertThat(s.finishExecution(1, 0, true)).isEqualTo(val(1, 0));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        for (int tx = 2; tx < 8; tx++) {
            assertThat(s.nextTask(A)).isEqualTo(exec(tx, 0));
            s.finishExecution(tx, 0, true);
            s.finishValidation(tx, false);
        }
        // A's chunk is done: the validation of B's executed 8 comes before new executions.
        assertThat(s.nextTask(A)).isEqualTo(val(8, 0));
    }

    @Test
    void tasksPackAndUnpack() {
        long t = Scheduler.task(VALIDATE, 123_456, Scheduler.MAX_INCARNATION);
        assertThat(Scheduler.kindOf(t)).isEqualTo(VALIDATE);
        assertThat(Scheduler.txOf(t)).isEqualTo(123_456);
        assertThat(Scheduler.incarnationOf(t)).isEqualTo(Scheduler.MAX_INCARNATION);
    }

    @Test
    void executionsGoInOrderAndTheValidationCursorWaitsForRunningTransactions() {
        Scheduler s = scheduler(3);
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(state(s, 0)).isEqualTo("EXECUTING(0)");
        // Tx 0 is still running: no validation can be had, so the next task is an execution.
        assertThat(s.nextTask(B)).isEqualTo(exec(1, 0));
        assertThat(s.validationIdx()).isZero();
        // Tx 1 finishes first: the cursor waits at tx 0, so tx 1 leaves its validation to the cursor.
        assertThat(s.finishExecution(1, 0, true)).isEqualTo(NONE);
        // Tx 0 finishes with the cursor waiting for it: it takes its own validation.
        assertThat(s.finishExecution(0, 0, true)).isEqualTo(val(0, 0));
        assertThat(s.validationIdx()).isEqualTo(1);
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(val(1, 0));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(exec(2, 0));
        assertThat(s.done()).isFalse();
        assertThat(s.finishExecution(2, 0, false)).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
        s.requireAllExecuted();
    }

    @Test
    void aFailedValidationAbortsReincarnatesAndRevalidatesEverythingAfter() {
        Scheduler s = scheduler(3);
        for (int i = 0; i < 3; i++) {
            assertThat(s.nextTask(A)).isEqualTo(exec(i, 0));
            assertThat(s.finishExecution(i, 0, true)).isEqualTo(val(i, 0));
            if (i == 0) {
                assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
            } else {
                // Keep 1 and 2 executed but their validations unfinished: give them back via the cursor.
                assertThat(s.finishValidation(i, false)).isEqualTo(NONE);
            }
        }
        assertThat(s.validationIdx()).isEqualTo(3);
        // Validation of tx 1 (say, by a stale validator of the same incarnation) fails.
        assertThat(s.tryValidationAbort(1, 0)).isTrue();
        assertThat(state(s, 1)).isEqualTo("ABORTING(0)");
        // The execution cursor is past tx 1, so the validator re-executes it right away.
        assertThat(s.finishValidation(1, true)).isEqualTo(exec(1, 1));
        assertThat(state(s, 1)).isEqualTo("EXECUTING(1)");
        assertThat(s.validationIdx()).isEqualTo(2);
        // Tx 2 is executed: the cursor can validate it again while tx 1 re-runs.
        assertThat(s.nextTask(A)).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        // The re-execution wrote a new key: it validates itself and everything after it again.
        assertThat(s.finishExecution(1, 1, true)).isEqualTo(val(1, 1));
        assertThat(s.validationIdx()).isEqualTo(2);
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
        s.requireAllExecuted();
    }

    @Test
    void aReExecutionThatWroteNoNewKeyValidatesOnlyItself() {
        Scheduler s = scheduler(3);
        for (int i = 0; i < 3; i++) {
            s.nextTask(A);
            s.finishExecution(i, 0, true);
            s.finishValidation(i, false);
        }
        assertThat(s.tryValidationAbort(0, 0)).isTrue();
        assertThat(s.finishValidation(0, true)).isEqualTo(exec(0, 1));
        assertThat(s.validationIdx()).isEqualTo(1);
        assertThat(s.nextTask(B)).isEqualTo(val(1, 0));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.finishExecution(0, 1, false)).isEqualTo(val(0, 1));
        assertThat(s.validationIdx()).isEqualTo(2); // not moved back
    }

    @Test
    void onlyOneValidatorCanAbortAnIncarnation() {
        Scheduler s = scheduler(1);
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(val(0, 0));
        assertThat(s.tryValidationAbort(0, 0)).isTrue();
        assertThat(s.tryValidationAbort(0, 0)).isFalse();
    }

    @Test
    void aValidationOfAnOldIncarnationCannotAbortTheReExecution() {
        // Validator A holds tx 0 incarnation 0; validator B aborts it first; tx 0 re-executes as incarnation 1.
        Scheduler s = scheduler(1);
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        long validationA = s.finishExecution(0, 0, false);
        assertThat(validationA).isEqualTo(val(0, 0));
        assertThat(s.tryValidationAbort(0, 0)).isTrue(); // B
        assertThat(s.finishValidation(0, true)).isEqualTo(exec(0, 1));
        // A's read-set check failed too, but the incarnation it validated is gone: no abort, no harm.
        assertThat(s.tryValidationAbort(0, Scheduler.incarnationOf(validationA))).isFalse();
        assertThat(state(s, 0)).isEqualTo("EXECUTING(1)");
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        // ... and likewise once the re-execution finished.
        assertThat(s.finishExecution(0, 1, false)).isEqualTo(val(0, 1));
        assertThat(s.tryValidationAbort(0, 0)).isFalse();
        assertThat(state(s, 0)).isEqualTo("EXECUTED(1)");
    }

    @Test
    void aSuspendedTransactionResumesWhenItsBlockerFinishes() {
        Scheduler s = scheduler(3);
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(exec(1, 0));
        assertThat(s.addDependency(1, 0, 0)).isTrue();
        assertThat(state(s, 1)).isEqualTo("ABORTING(0)");
        assertThat(s.nextTask(B)).isEqualTo(exec(2, 0));
        assertThat(s.addDependency(2, 0, 0)).isTrue();
        assertThat(s.executionIdx()).isEqualTo(3);
        assertThat(s.workAvailable()).isFalse();

        assertThat(s.finishExecution(0, 0, true)).isEqualTo(val(0, 0));
        assertThat(state(s, 1)).isEqualTo("READY(1)");
        assertThat(state(s, 2)).isEqualTo("READY(1)");
        assertThat(s.executionIdx()).isEqualTo(1);
        assertThat(s.workAvailable()).isTrue();
        assertThat(s.nextTask(B)).isEqualTo(exec(1, 1));
    }

    @Test
    void aDependencyOnAnAlreadyFinishedTransactionIsRefused() {
        Scheduler s = scheduler(2);
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(exec(1, 0));
        s.finishExecution(0, 0, false);
        assertThat(s.addDependency(1, 0, 0)).isFalse();
        assertThat(state(s, 1)).isEqualTo("EXECUTING(0)");
    }

    @Test
    void aDependencyResolvedWhileBeingRegisteredIsNeverLost() throws Exception {
        // The paper's race: tx 1 registers on tx 0 while tx 0 finishes. Either the registration sees tx 0
        // executed and is refused, or tx 0's finish sees the registration and makes tx 1 ready. Never
        // neither (tx 1 stuck suspended forever).
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < 5_000; round++) {
            Scheduler s = scheduler(2);
            assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
            assertThat(s.nextTask(B)).isEqualTo(exec(1, 0));
            AtomicBoolean suspended = new AtomicBoolean();
            Thread finisher = new Thread(() -> {
                await(start);
                s.finishExecution(0, 0, false);
            });
            finisher.start();
            await(start);
            suspended.set(s.addDependency(1, 0, 0));
            finisher.join();
            String tx1 = state(s, 1);
            if (suspended.get()) {
                assertThat(tx1).as("round %d", round).isEqualTo("READY(1)");
            } else {
                assertThat(tx1).as("round %d", round).isEqualTo("EXECUTING(0)");
            }
        }
    }

    @Test
    void theBlockIsNotDoneWhileATaskIsHeld() {
        Scheduler s = scheduler(1);
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        assertThat(s.done()).isFalse();
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(val(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        s.checkDone();
        assertThat(s.done()).isFalse();
        s.finishValidation(0, false);
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        // Worker A finished its task but has not come back for another: still counted as busy.
        assertThat(s.done()).isFalse();
        assertThat(s.nextTask(A)).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
    }

    @Test
    void unexpectedTransitionsAreInvariantViolations() {
        Scheduler s = scheduler(2);
        assertThatThrownBy(() -> s.finishExecution(0, 0, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected EXECUTING(0) but found READY(0)");
        assertThatThrownBy(() -> s.finishValidation(1, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("made ready from READY(0)");
        assertThatThrownBy(() -> s.addDependency(0, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::requireAllExecuted).isInstanceOf(IllegalStateException.class);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withAffinityAWorkerLeavesAnotherWorkersExecutionsToItsValidationWhileItCanExecute() {
        Scheduler s = new Scheduler(4, 2, 1, true, new IdleSignal(2));
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(exec(1, 0));
        // 1 finishes first: the cursor waits at 0. Then 0 finishes and A validates it at once (as without affinity).
        assertThat(s.finishExecution(B, 1, 0, true)).isEqualTo(NONE);
        assertThat(s.finishExecution(A, 0, 0, true)).isEqualTo(val(0, 0));
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        // The cursor is at 1, which B executed: A executes 2 rather than validate B's transaction.
        assertThat(s.nextTask(A)).isEqualTo(exec(2, 0));
        assertThat(s.nextTask(B)).isEqualTo(val(1, 0));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        // 2 is A's, and B takes the last execution; with nothing left to execute, anyone validates anything.
        assertThat(s.finishExecution(A, 2, 0, true)).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(exec(3, 0));
        assertThat(s.finishExecution(B, 3, 0, true)).isEqualTo(val(3, 0));
        assertThat(s.finishValidation(3, false)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
    }

    @Test
    void withAffinityAnExecutedTransactionIsValidatedByAnyoneOnceNothingIsLeftToExecute() {
        Scheduler s = new Scheduler(2, 2, 1, true, new IdleSignal(2));
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0));
        assertThat(s.nextTask(B)).isEqualTo(exec(1, 0));
        assertThat(s.finishExecution(B, 1, 0, true)).isEqualTo(NONE);
        assertThat(s.finishExecution(A, 0, 0, true)).isEqualTo(val(0, 0));
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        // 1 is B's, but nothing is left to execute: A validates it rather than wait.
        assertThat(s.nextTask(A)).isEqualTo(val(1, 0));
    }

    @Test
    void withAffinityAWorkerRunsItsClaimedExecutionsBeforeItValidatesThemInOneRun() {
        Scheduler s = new Scheduler(6, 2, 3, true, new IdleSignal(2));
        assertThat(s.nextTask(A)).isEqualTo(exec(0, 0)); // A claims 0..2
        assertThat(s.nextTask(B)).isEqualTo(exec(3, 0)); // B claims 3..5
        // The cursor is at 0, but A still holds 1 and 2: it does not take the cursor for 0 now.
        assertThat(s.finishExecution(A, 0, 0, true)).isEqualTo(NONE);
        assertThat(s.validationIdx()).isZero();
        assertThat(s.nextTask(A)).isEqualTo(exec(1, 0));
        assertThat(s.finishExecution(A, 1, 0, true)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(exec(2, 0));
        assertThat(s.finishExecution(A, 2, 0, true)).isEqualTo(NONE);
        // Its claim run, A validates 0..2 with one move of the cursor.
        assertThat(s.nextTask(A)).isEqualTo(val(0, 0));
        assertThat(s.validationIdx()).isEqualTo(3);
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(val(1, 0));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        // B, whose claim is run to its end, takes the cursor at its last one as before.
        assertThat(s.finishExecution(B, 3, 0, true)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(exec(4, 0));
        assertThat(s.finishExecution(B, 4, 0, true)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(exec(5, 0));
        assertThat(s.finishExecution(B, 5, 0, true)).isEqualTo(NONE);
        assertThat(s.nextTask(B)).isEqualTo(val(3, 0));
        assertThat(s.validationIdx()).isEqualTo(6);
        for (int tx = 3; tx < 6; tx++) {
            assertThat(s.finishValidation(tx, false)).isEqualTo(NONE);
            if (tx < 5) {
                assertThat(s.nextTask(B)).isEqualTo(val(tx + 1, 0));
            }
        }
        assertThat(s.nextTask(B)).isEqualTo(NONE);
        assertThat(s.nextTask(A)).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
    }
}
