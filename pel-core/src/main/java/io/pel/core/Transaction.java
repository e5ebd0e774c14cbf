package io.pel.core;

/**
 * One transaction of a block: a deterministic function of what it reads through its context.
 *
 * <p>The engine may run a transaction several times (incarnations) against speculative state; only the
 * last run counts. A transaction must therefore have no side effects outside its context, and must give the
 * same result for the same values read. A transaction that throws an {@link Exception} is <em>failed</em>:
 * its writes are discarded and the exception becomes its outcome.
 *
 * @param <K> key type; must implement {@code equals}/{@code hashCode}
 * @param <V> value type
 * @param <O> output type
 */
@FunctionalInterface
public interface Transaction<K, V, O> {
    O execute(TxContext<K, V> ctx) throws Exception;
}
