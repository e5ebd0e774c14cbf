package io.pel.core;

import java.util.Objects;

/**
 * What one transaction of a block came to: its output, or the failure it threw. Failures compare by exception
 * type and message, so outcomes of two executions of the same block can be compared.
 */
public sealed interface Outcome<O> {

    boolean succeeded();

    /** The transaction returned {@code output} (which may be {@code null}); its writes took effect. */
    record Success<O>(O output) implements Outcome<O> {
        @Override
        public boolean succeeded() {
            return true;
        }
    }

    /** The transaction threw; its writes were discarded. */
    record Failure<O>(String errorType, String message) implements Outcome<O> {
        public Failure {
            Objects.requireNonNull(errorType, "errorType");
        }

        public static <O> Failure<O> of(Throwable error) {
            return new Failure<>(error.getClass().getName(), error.getMessage());
        }

        @Override
        public boolean succeeded() {
            return false;
        }
    }
}
