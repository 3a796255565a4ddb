package dev.uring4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.uring4j.ring.CqeHandler;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.ErrnoException;

/**
 * Draining the CQ: {@code forEachCqe} over 128 ready completions, which reads each in place and
 * publishes the head once. The score is per completion. The C twin is {@code nop_bench cq-drain}
 * ({@code io_uring_for_each_cqe} + {@code io_uring_cq_advance}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CqDrainBenchmark implements CqeHandler {
    private IoUring ring;
    private long sum;

    @Setup(Level.Trial)
    public void open() throws ErrnoException {
        ring = BenchRing.open(BenchRing.PLAIN);
        for (int i = 0; i < BenchRing.NOP_OPS; i++) {
            ring.getSqe().prepNop().userData(i);
        }
        int submitted = ring.submitAndWait(BenchRing.NOP_OPS);
        if (submitted != BenchRing.NOP_OPS || ring.cqReady() != BenchRing.NOP_OPS) {
            throw new IllegalStateException("filling the CQ: submitted " + submitted + ", ready " + ring.cqReady());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        ring.close();
    }

    @Benchmark
    @OperationsPerInvocation(BenchRing.NOP_OPS)
    public long forEachCqe() {
        int drained = ring.forEachCqe(this);
        if (drained != BenchRing.NOP_OPS) {
            throw new IllegalStateException("drained " + drained + " of " + BenchRing.NOP_OPS + " completions");
        }
        // Rewinds the head so the same completions are ready again: nothing is in flight, so the
        // kernel posts nothing meanwhile and only ever sees a CQ holding these 128.
        ring.cqAdvance(-drained);
        return sum;
    }

    @Override
    public void handle(long userData, int res, int flags) {
        sum += userData + res;
    }
}
