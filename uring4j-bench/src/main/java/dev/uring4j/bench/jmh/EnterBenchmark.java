package dev.uring4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.ErrnoException;

/**
 * An empty {@code io_uring_enter} (nothing to submit, nothing to wait for): the fixed cost of the
 * downcall and the syscall, which every event-loop iteration pays once. The C twin is
 * {@code nop_bench enter-REGISTERED|PLAIN}, a raw {@code syscall(__NR_io_uring_enter, ...)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnterBenchmark {
    @Param({BenchRing.REGISTERED, BenchRing.PLAIN})
    public String ringFd;

    private IoUring ring;

    @Setup(Level.Trial)
    public void open() throws ErrnoException {
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

    @Benchmark
    public int enter() {
        int r = ring.enter(0, 0, 0, 0, 0);
        if (r != 0) {
            throw new IllegalStateException("an empty io_uring_enter returned " + r);
        }
        return r;
    }
}
