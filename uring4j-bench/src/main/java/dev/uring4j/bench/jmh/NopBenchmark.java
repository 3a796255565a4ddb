package dev.uring4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.uring4j.ring.CqeHandler;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.ErrnoException;

/**
 * Nop submit+complete throughput, the cost of the binding's whole round trip: {@code batch} nops
 * prepared ({@code getSqe().prepNop().userData}), submitted and waited for in one
 * {@code io_uring_enter} ({@code submitAndWait}), then reaped ({@code forEachCqe}). The score is per
 * nop. The C twin is {@code nop_bench nop-BATCH-REGISTERED|PLAIN}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NopBenchmark implements CqeHandler {
    /** Nops per {@code io_uring_enter}; divides {@link BenchRing#NOP_OPS}. */
    @Param({"1", "8", "32", "128"})
    public int batch;

    /** Whether the worker thread enters through the registered ring fd. */
    @Param({BenchRing.REGISTERED, BenchRing.PLAIN})
    public String ringFd;

    private IoUring ring;
    private long sum;

    @Setup(Level.Trial)
    public void open() throws ErrnoException {
        if (batch <= 0 || BenchRing.NOP_OPS % batch != 0) {
            throw new IllegalArgumentException("batch must divide " + BenchRing.NOP_OPS + ", was " + batch);
        }
        ring = BenchRing.open(ringFd);
    }

    @Setup(Level.Iteration)
    public void checkThread() {
        BenchRing.checkRingFd(ring, ringFd);
    }

    @TearDown(Level.Trial)
    public void close() {
        ring.close();
    }

    // Not inlined into JMH's measurement stub: the stub force-inlines the benchmark method, and C2
    // parsed it twice there and gave up inlining (NodeCountInliningCutoff) in the copy that runs,
    // leaving userData, submitAndWait and forEachCqe as calls (76 ns per nop at batch 128 against
    // 70 for the same loop compiled on its own). A method of its own is how a user's loop, and the
    // C twin's nop_step, are compiled; the call costs once per 128 nops.
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    @OperationsPerInvocation(BenchRing.NOP_OPS)
    public long submitAndReap() {
        IoUring r = ring;
        int n = batch;
        for (int done = 0; done < BenchRing.NOP_OPS; done += n) {
            for (int i = 0; i < n; i++) {
                r.getSqe().prepNop().userData(i);
            }
            int submitted = r.submitAndWait(n);
            int reaped = r.forEachCqe(this);
            if (submitted != n || reaped != n) {
                throw new IllegalStateException("batch of " + n + " nops: submitAndWait returned " + submitted
                        + ", " + reaped + " completions reaped");
            }
        }
        return sum;
    }

    /** Consumes every completion's fields, as the C twin sums them, so none of the reads is dead. */
    @Override
    public void handle(long userData, int res, int flags) {
        sum += userData + res;
    }
}
