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

import dev.uring4j.ring.BufferRing;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.ErrnoException;

/**
 * Handing provided buffers back to the kernel: one at a time ({@link BufferRing#recycle}: add and a
 * release store of the tail per buffer) and batched ({@code add} x 32, then one {@code advance}).
 * The score is per buffer. No receive selects from the group meanwhile, so this is the
 * application's side of the exchange alone, as in the C twins {@code nop_bench bufring-recycle}
 * and {@code bufring-add-advance}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferRingBenchmark {
    static final int ENTRIES = 256;
    static final int BUFFER_SIZE = 4096;
    static final int BATCH = 32;

    private IoUring ring;
    private BufferRing buffers;
    private int bid;

    @Setup(Level.Trial)
    public void open() throws ErrnoException {
        ring = BenchRing.open(BenchRing.PLAIN);
        buffers = BufferRing.register(ring, 0, ENTRIES, BUFFER_SIZE, 0);
    }

    @TearDown(Level.Trial)
    public void close() {
        buffers.close();
        ring.close();
    }

    @Benchmark
    public int recycle() {
        int b = bid;
        buffers.recycle(b);
        bid = (b + 1) & (ENTRIES - 1);
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int addAdvance() {
        BufferRing br = buffers;
        int b = bid;
        for (int k = 0; k < BATCH; k++) {
            br.add((b + k) & (ENTRIES - 1), k);
        }
        br.advance(BATCH);
        bid = (b + BATCH) & (ENTRIES - 1);
        return b;
    }
}
