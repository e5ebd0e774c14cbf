package io.pel.core;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A block's outcomes as an unmodifiable list over the array the parallel executor filled, handed over
 * without a copy: the executor never touches the array again and nothing else has it.
 */
final class OutcomeList<O> extends AbstractList<Outcome<O>> implements RandomAccess {

    private final Outcome<?>[] outcomes;

    /** @param outcomes one non-null outcome per transaction, not changed by anyone after this call */
    OutcomeList(Outcome<?>[] outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome<O> get(int index) {
        return (Outcome<O>) Objects.requireNonNull(outcomes[Objects.checkIndex(index, outcomes.length)]);
    }

    @Override
    public int size() {
        return outcomes.length;
    }
}
