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

    private static long exec(int tx, int inc) {
        return Scheduler.task(EXECUTE, tx, inc);
    }

    private static long val(int tx, int inc) {
        return Scheduler.task(VALIDATE, tx, inc);
    }

    private static String state(Scheduler s, int tx) {
        return Scheduler.describe(s.status(tx));
    }

    @Test
    void tasksPackAndUnpack() {
        long t = Scheduler.task(VALIDATE, 123_456, Scheduler.MAX_INCARNATION);
        assertThat(Scheduler.kindOf(t)).isEqualTo(VALIDATE);
        assertThat(Scheduler.txOf(t)).isEqualTo(123_456);
        assertThat(Scheduler.incarnationOf(t)).isEqualTo(Scheduler.MAX_INCARNATION);
    }

    @Test
    void executionsAreHandedOutInOrderThenValidationsCatchUp() {
        Scheduler s = new Scheduler(3, new IdleSignal(1));
        assertThat(s.nextTask()).isEqualTo(exec(0, 0));
        assertThat(state(s, 0)).isEqualTo("EXECUTING(0)");
        // Validation cursor (0) is not below the execution cursor's... it is: 0 < 1, but tx 0 is not executed.
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.validationIdx()).isEqualTo(1);
        assertThat(s.nextTask()).isEqualTo(exec(1, 0));
        // Validation cursor passed tx 0 while it ran: finishing hands back its own validation.
        assertThat(s.finishExecution(0, 0, true)).isEqualTo(NONE);
        assertThat(s.validationIdx()).isZero(); // a new key: everything from tx 0 on is validated again
        assertThat(s.nextTask()).isEqualTo(val(0, 0));
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        assertThat(s.finishExecution(1, 0, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(val(1, 0));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(exec(2, 0));
        assertThat(s.finishExecution(2, 0, false)).isEqualTo(NONE);
        assertThat(s.done()).isFalse();
        assertThat(s.nextTask()).isEqualTo(val(2, 0));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
        s.requireAllExecuted();
    }

    @Test
    void finishingWithoutNewKeysValidatesOnlyItselfWhenTheCursorIsPast() {
        Scheduler s = new Scheduler(2, new IdleSignal(1));
        assertThat(s.nextTask()).isEqualTo(exec(0, 0));
        assertThat(s.nextTask()).isEqualTo(NONE); // validation cursor moves past tx 0
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(val(0, 0));
        assertThat(s.validationIdx()).isEqualTo(1);
    }

    @Test
    void aFailedValidationAbortsReincarnatesAndRevalidatesEverythingAfter() {
        Scheduler s = new Scheduler(3, new IdleSignal(1));
        assertThat(s.nextTask()).isEqualTo(exec(0, 0));
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(val(0, 0));
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(exec(1, 0));
        assertThat(s.finishExecution(1, 0, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(val(1, 0));
        assertThat(s.tryValidationAbort(1, 0)).isTrue();
        assertThat(state(s, 1)).isEqualTo("ABORTING(0)");
        // The execution cursor is past tx 1, so the validator re-executes it right away.
        assertThat(s.finishValidation(1, true)).isEqualTo(exec(1, 1));
        assertThat(state(s, 1)).isEqualTo("EXECUTING(1)");
        assertThat(s.validationIdx()).isEqualTo(2);
        // The validation cursor is past tx 1 now: the re-execution validates itself.
        assertThat(s.finishExecution(1, 1, false)).isEqualTo(val(1, 1));
        assertThat(s.finishValidation(1, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(exec(2, 0));
        assertThat(s.finishExecution(2, 0, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(val(2, 0));
        // A failed validation of tx 2 moves the validation cursor back to 3 only, not below.
        assertThat(s.tryValidationAbort(2, 0)).isTrue();
        assertThat(s.finishValidation(2, true)).isEqualTo(exec(2, 1));
        assertThat(s.finishExecution(2, 1, true)).isEqualTo(NONE);
        assertThat(s.validationIdx()).isEqualTo(2); // a new key: validate from tx 2 on again
        assertThat(s.nextTask()).isEqualTo(val(2, 1));
        assertThat(s.finishValidation(2, false)).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
        s.requireAllExecuted();
    }

    @Test
    void onlyOneValidatorCanAbortAnIncarnation() {
        Scheduler s = new Scheduler(1, new IdleSignal(1));
        assertThat(s.nextTask()).isEqualTo(exec(0, 0));
        s.finishExecution(0, 0, false);
        assertThat(s.tryValidationAbort(0, 0)).isTrue();
        assertThat(s.tryValidationAbort(0, 0)).isFalse();
    }

    @Test
    void aValidationOfAnOldIncarnationCannotAbortTheReExecution() {
        // Validator A takes tx 0 incarnation 0; validator B aborts it first; tx 0 re-executes as incarnation 1.
        Scheduler s = new Scheduler(1, new IdleSignal(2));
        assertThat(s.nextTask()).isEqualTo(exec(0, 0));
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(NONE);
        long validationA = s.nextTask();
        assertThat(validationA).isEqualTo(val(0, 0));
        assertThat(s.tryValidationAbort(0, 0)).isTrue(); // B
        assertThat(s.finishValidation(0, true)).isEqualTo(exec(0, 1));
        // A's read-set check failed too, but the incarnation it validated is gone: no abort, no harm.
        assertThat(s.tryValidationAbort(0, Scheduler.incarnationOf(validationA))).isFalse();
        assertThat(state(s, 0)).isEqualTo("EXECUTING(1)");
        assertThat(s.finishValidation(0, false)).isEqualTo(NONE);
        // ... and likewise once the re-execution finished.
        s.finishExecution(0, 1, false);
        assertThat(s.tryValidationAbort(0, 0)).isFalse();
        assertThat(state(s, 0)).isEqualTo("EXECUTED(1)");
    }

    @Test
    void aSuspendedTransactionResumesWhenItsBlockerFinishes() {
        Scheduler s = new Scheduler(3, new IdleSignal(1));
        assertThat(nextExecution(s)).isEqualTo(exec(0, 0));
        assertThat(nextExecution(s)).isEqualTo(exec(1, 0));
        assertThat(nextExecution(s)).isEqualTo(exec(2, 0));
        assertThat(s.addDependency(2, 0, 0)).isTrue();
        assertThat(state(s, 2)).isEqualTo("ABORTING(0)");
        assertThat(s.addDependency(1, 0, 0)).isTrue();
        assertThat(s.executionIdx()).isEqualTo(3);

        s.finishExecution(0, 0, false);
        assertThat(state(s, 1)).isEqualTo("READY(1)");
        assertThat(state(s, 2)).isEqualTo("READY(1)");
        assertThat(s.executionIdx()).isEqualTo(1);
    }

    @Test
    void aDependencyOnAnAlreadyFinishedTransactionIsRefused() {
        Scheduler s = new Scheduler(2, new IdleSignal(1));
        assertThat(nextExecution(s)).isEqualTo(exec(0, 0));
        assertThat(nextExecution(s)).isEqualTo(exec(1, 0));
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
            Scheduler s = new Scheduler(2, new IdleSignal(2));
            assertThat(nextExecution(s)).isEqualTo(exec(0, 0));
            assertThat(nextExecution(s)).isEqualTo(exec(1, 0));
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
    void theBlockIsNotDoneWhileATaskIsInFlight() {
        Scheduler s = new Scheduler(1, new IdleSignal(1));
        assertThat(s.nextTask()).isEqualTo(exec(0, 0));
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.done()).isFalse();
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(val(0, 0));
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.done()).isFalse();
        s.finishValidation(0, false);
        assertThat(s.nextTask()).isEqualTo(NONE);
        assertThat(s.done()).isTrue();
    }

    @Test
    void unexpectedTransitionsAreInvariantViolations() {
        Scheduler s = new Scheduler(2, new IdleSignal(1));
        assertThatThrownBy(() -> s.finishExecution(0, 0, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected EXECUTING(0) but found READY(0)");
        assertThatThrownBy(() -> s.finishValidation(1, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("made ready from READY(0)");
        assertThatThrownBy(() -> s.addDependency(0, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::requireAllExecuted).isInstanceOf(IllegalStateException.class);
    }

    /** Asks for tasks until an execution comes (validations of still-running transactions come to nothing). */
    private static long nextExecution(Scheduler s) {
        for (int i = 0; i < 10; i++) {
            long task = s.nextTask();
            if (task != NONE) {
                assertThat(Scheduler.kindOf(task)).isEqualTo(EXECUTE);
                return task;
            }
        }
        throw new AssertionError("no execution task handed out");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
