/**
 * JMH micro-benchmarks of pel-core internals. They live in pel-core's package (from the pel-bench jar) so that
 * they can reach package-private parts without widening pel-core's API. Run them with {@code ./pel jmh}.
 */
package io.pel.core;
