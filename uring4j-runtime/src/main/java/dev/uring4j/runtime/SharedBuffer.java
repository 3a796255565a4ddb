package dev.uring4j.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Native memory shared by many sends: reference-counted, freed when the last reference goes.
 *
 * <p>The point is a broadcast: one message encoded once, then queued on many connections with
 * {@link Connection#write(SharedBuffer, long, int)}, each of which sends straight from this memory
 * (no copy per connection) and holds a reference until the kernel is done with it. The creator
 * holds the first reference; it fills {@link #segment()}, writes the buffer to its connections,
 * then {@link #release() releases} its own reference. The memory is freed by whichever release
 * drops the count to zero: typically a loop thread, when the last send completes.
 *
 * <p>Contents must not change once the buffer has been written to a connection: the kernel reads
 * it while sends are in flight. {@link #retain()} and {@link #release()} may be called from any
 * thread; using the buffer after its last release fails with {@link IllegalStateException}.
 */
public final class SharedBuffer {
    /** The largest buffer: a connection's queued bytes are counted in {@code int}s per entry. */
    public static final long MAX_BYTES = Integer.MAX_VALUE;

    private static final System.Logger LOG = System.getLogger(SharedBuffer.class.getPackageName());
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(SharedBuffer.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena;
    private final MemorySegment segment;
    private final Runnable onFreed;
    /** References held; zero once freed. Changed only by compare-and-set. */
    private volatile int refs = 1;

    private SharedBuffer(long bytes, Runnable onFreed) {
        // Shared: any thread may drop the last reference and close it.
        this.arena = Arena.ofShared();
        this.segment = arena.allocate(bytes, 64);
        this.onFreed = onFreed;
    }

    /**
     * Zeroed native memory with one reference, the caller's.
     *
     * @param bytes the size, at most {@link #MAX_BYTES}
     * @return the buffer
     * @throws IllegalArgumentException if {@code bytes} is negative or over {@link #MAX_BYTES}
     */
    public static SharedBuffer allocate(long bytes) {
        return allocate(bytes, null);
    }

    /**
     * As {@link #allocate(long)}, and runs {@code onFreed} right after the memory is freed, on the
     * thread that dropped the last reference (a loop thread when a send was last): it must be
     * quick and must not block. What it throws is logged and otherwise ignored.
     *
     * @param bytes the size, at most {@link #MAX_BYTES}
     * @param onFreed what to run once the memory is freed, or {@code null}
     * @return the buffer
     * @throws IllegalArgumentException if {@code bytes} is negative or over {@link #MAX_BYTES}
     */
    public static SharedBuffer allocate(long bytes, Runnable onFreed) {
        if (bytes < 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("a shared buffer of " + bytes + " bytes: the size must be 0 to " + MAX_BYTES);
        }
        return new SharedBuffer(bytes, onFreed);
    }

    /**
     * The memory, to fill before the buffer is written to connections.
     *
     * @return the whole buffer; accessing it after the last release throws {@link IllegalStateException}
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * The size in bytes.
     *
     * @return the size given to {@link #allocate(long)}
     */
    public long byteSize() {
        return segment.byteSize();
    }

    /**
     * Takes one more reference; thread-safe.
     *
     * @return this buffer
     * @throws IllegalStateException if the buffer was already freed
     */
    public SharedBuffer retain() {
        int r;
        do {
            r = refs;
            if (r <= 0) {
                throw new IllegalStateException("retain of a shared buffer of " + segment.byteSize() + " bytes already freed");
            }
        } while (!REFS.compareAndSet(this, r, r + 1));
        return this;
    }

    /**
     * Drops one reference; the last frees the memory (and runs the callback given to
     * {@link #allocate(long, Runnable)}). Thread-safe.
     *
     * @throws IllegalStateException if the buffer was already freed: one reference released twice
     */
    public void release() {
        int r;
        do {
            r = refs;
            if (r <= 0) {
                throw new IllegalStateException("release of a shared buffer of " + segment.byteSize() + " bytes already freed");
            }
        } while (!REFS.compareAndSet(this, r, r - 1));
        if (r == 1) {
            arena.close();
            if (onFreed != null) {
                try {
                    onFreed.run();
                } catch (Throwable t) {
                    LOG.log(System.Logger.Level.WARNING, "the freed-callback of a shared buffer threw", t);
                }
            }
        }
    }

    /**
     * The references held now: the creator's, each connection's queued send, each {@link #retain()}.
     *
     * @return the count; zero once freed
     */
    public int refCount() {
        return refs;
    }

    @Override
    public String toString() {
        return "SharedBuffer[" + segment.byteSize() + " bytes, " + refs + " references]";
    }
}
