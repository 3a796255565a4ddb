/**
 * JMH micro-benchmarks of the binding (nop round trips, an empty {@code io_uring_enter}, buffer
 * ring recycling, CQ draining) and {@link dev.uring4j.bench.jmh.BindingVsLiburing}, which runs
 * them beside their C twin {@code src/main/c/nop_bench.c} ({@code ./uring4j bench jmh}).
 */
package dev.uring4j.bench.jmh;
