package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeListTest {

    private final Outcome<?>[] array = {new Outcome.Success<>("a"), new Outcome.Success<>("b")};

    @Test
    void readsTheArrayInOrderAndEqualsAnyListOfTheSameOutcomes() {
        OutcomeList<String> list = new OutcomeList<>(array);

        assertThat(list).hasSize(2);
        assertThat(list.get(1)).isEqualTo(new Outcome.Success<>("b"));
        assertThat(list).isEqualTo(List.of(new Outcome.Success<>("a"), new Outcome.Success<>("b")));
        assertThat(list.hashCode()).isEqualTo(List.of(array).hashCode());
        assertThatThrownBy(() -> list.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void cannotBeChangedThroughTheList() {
        OutcomeList<String> list = new OutcomeList<>(array);

        assertThatThrownBy(() -> list.set(0, new Outcome.Success<>("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.add(new Outcome.Success<>("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBlockResultKeepsItWithoutACopyAndCopiesAnyOtherList() {
        OutcomeList<String> list = new OutcomeList<>(array);
        BlockResult<String, Long, String> handedOver = new BlockResult<>(list, WriteSet.<String, Long>builder(0).build(), null, List.of());
        assertThat(handedOver.outcomes()).isSameAs(list);

        java.util.ArrayList<Outcome<String>> mutable = new java.util.ArrayList<>(list);
        BlockResult<String, Long, String> copied = new BlockResult<>(mutable, WriteSet.<String, Long>builder(0).build(), null, List.of());
        mutable.clear();
        assertThat(copied.outcomes()).hasSize(2);
    }
}
