package io.pel.core;

/**
 * Converts between a block's value type and the {@code long} counters that {@link TxContext#add} works on.
 *
 * <p>Both directions must be deterministic and total (never throw), and {@code decode(encode(x)) == x} for
 * every {@code x}. {@code decode} is never called with {@code null}: an absent key is counter 0.
 */
public interface CounterCodec<V> {

    long decode(V value);

    V encode(long counter);

    /** For blocks whose values are {@link Long}s. */
    static CounterCodec<Long> longs() {
        return LongCodec.INSTANCE;
    }

    /** For blocks that use no counters: any {@code add} fails its transaction with an explanation. */
    @SuppressWarnings("unchecked")
    static <V> CounterCodec<V> unsupported() {
        return (CounterCodec<V>) Unsupported.INSTANCE;
    }

    /** The codec for {@link Long} values. */
    enum LongCodec implements CounterCodec<Long> {
        INSTANCE;

        @Override
        public long decode(Long value) {
            return value;
        }

        @Override
        public Long encode(long counter) {
            return counter;
        }
    }

    /** The codec of blocks without counters. */
    enum Unsupported implements CounterCodec<Object> {
        INSTANCE;

        @Override
        public long decode(Object value) {
            throw new UnsupportedOperationException("this block has no CounterCodec: counters are not available");
        }

        @Override
        public Object encode(long counter) {
            throw new UnsupportedOperationException("this block has no CounterCodec: counters are not available");
        }
    }
}
