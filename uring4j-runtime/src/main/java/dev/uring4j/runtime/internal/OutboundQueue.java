package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.runtime.SharedBuffer;

/**
 * A connection's queued output: pooled native blocks in write order, each holding bytes
 * {@code [readIndex, writeIndex)} still to be sent. Writes are copied in at the tail; the
 * transport sends from {@link #head()} and reports what the kernel took with {@link #advance}.
 *
 * <pre>
 *  head                                   tail
 *  [ sent | pending ] -> [ pending ] -> [ pending | room ]
 * </pre>
 *
 * <p>Bytes of a {@link SharedBuffer} are queued by reference instead: a reference block views
 * the shared memory and holds a reference to it, and behaves like any other block until it is
 * let go of (nothing is appended behind its bytes). A <em>file region</em> is such a block too,
 * holding an open file: its bytes stay in the file until the transport splices them to the socket
 * or reads them into a block put in front of it ({@link #fill}). They count in {@link #pending()}
 * but not in {@link #memory()}, which is what the output limit bounds.
 *
 * <p>A drained block goes back to the pool at once, unless a zero-copy send still holds it
 * ({@code zcPending > 0}): the kernel may read it until the send's notification, so it is only
 * marked {@code detached} here and released by the transport when the last notification arrives.
 * Owned by the connection's loop thread.
 */
public final class OutboundQueue {
    /** Blocks hold at least this much, so small writes share a block and a send. */
    static final int MIN_BLOCK = 16 * 1024;
    /** And at most this much: one large write spans several blocks. */
    static final int MAX_BLOCK = 1 << 20;

    /** The longest file region one block holds: a longer one takes several. */
    static final int MAX_REGION = 1 << 30;

    private static final VarHandle MEMORY;

    static {
        try {
            MEMORY = MethodHandles.lookup().findVarHandle(OutboundQueue.class, "memory", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BlockPool pool;
    private BlockPool.Block head;
    private BlockPool.Block tail;
    /** Bytes queued, file regions' included. */
    private long pending;
    /** Bytes queued in file regions. */
    private long inFiles;
    /** Bytes queued in memory; written by the loop thread only, read by others through {@link #memoryFromAnyThread()}. */
    private long memory;

    public OutboundQueue(BlockPool pool) {
        this.pool = pool;
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return head == null;
    }

    /** The oldest block with bytes to send, or {@code null}. */
    public BlockPool.Block head() {
        return head;
    }

    /** Bytes queued and not yet taken by the kernel (loop thread). */
    public long pending() {
        return pending;
    }

    /** Bytes queued in memory, file regions' not included (loop thread). */
    public long memory() {
        return memory;
    }

    /** Whether a file region is queued. */
    public boolean hasFile() {
        return inFiles > 0;
    }

    /**
     * {@link #memory()} as the loop last published it, for other threads deciding whether a write
     * fits: a release store pairs with this acquire load, so the value is one the loop has written.
     */
    public long memoryFromAnyThread() {
        return (long) MEMORY.getAcquire(this);
    }

    /**
     * A plain store on x86 and ARM's stlr: the hot path pays nothing for other threads' view of it.
     * The loop's total of queued output follows every change.
     */
    private void setPending(long value, long files) {
        pool.queuedOutputBytes += value - pending;
        pending = value;
        inFiles = files;
        MEMORY.setRelease(this, value - files);
    }

    private void setPending(long value) {
        setPending(value, inFiles);
    }

    /** Copies {@code length} bytes of {@code src} from {@code offset} to the end of the queue. */
    public void append(MemorySegment src, long offset, int length) {
        int remaining = length;
        long from = offset;
        while (remaining > 0) {
            BlockPool.Block b = writableTail(remaining);
            int n = Math.min(remaining, b.writable());
            MemorySegment.copy(src, from, b.segment, b.writeIndex, n);
            b.writeIndex += n;
            from += n;
            remaining -= n;
        }
        setPending(pending + length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code offset} to the end of the queue. */
    public void append(byte[] src, int offset, int length) {
        int remaining = length;
        int from = offset;
        while (remaining > 0) {
            BlockPool.Block b = writableTail(remaining);
            int n = Math.min(remaining, b.writable());
            MemorySegment.copy(src, from, b.segment, JAVA_BYTE, b.writeIndex, n);
            b.writeIndex += n;
            from += n;
            remaining -= n;
        }
        setPending(pending + length);
    }

    /** Queues {@code length} bytes of {@code shared} from {@code offset} by reference (no copy). */
    public void append(SharedBuffer shared, long offset, int length) {
        link(pool.acquireReference(shared, offset, length));
        setPending(pending + length);
    }

    /**
     * Queues {@code length} bytes of {@code file} from {@code position} as file regions, which hold
     * the file open until they are sent or dropped.
     */
    public void appendFile(LoopFileBase file, long position, long length) {
        long at = position;
        long remaining = length;
        while (remaining > 0) {
            int n = (int) Math.min(remaining, MAX_REGION);
            link(pool.acquireRegion(file, at, n));
            at += n;
            remaining -= n;
        }
        setPending(pending + length, inFiles + length);
    }

    /**
     * The first {@code n} bytes of the file region at the head were read into {@code data}: it goes
     * in front of the region, which now starts after them.
     */
    public void fill(BlockPool.Block data, int n) {
        BlockPool.Block region = head;
        data.writeIndex = n;
        region.readIndex += n;
        data.next = region;
        head = data;
        if (region.readable() == 0) {
            data.next = region.next;
            if (tail == region) {
                tail = data;
            }
            region.next = null;
            letGo(region);
        }
        setPending(pending, inFiles - n);
    }

    /** The tail if it has room and no zero-copy send reads it; else a new block for about {@code want} bytes. */
    private BlockPool.Block writableTail(int want) {
        BlockPool.Block t = tail;
        if (t != null && t.writable() > 0 && t.zcPending == 0) {
            return t;
        }
        BlockPool.Block b = pool.acquire(Math.min(Math.max(want, MIN_BLOCK), MAX_BLOCK));
        link(b);
        return b;
    }

    private void link(BlockPool.Block b) {
        if (tail == null) {
            head = tail = b;
        } else {
            tail.next = b;
            tail = b;
        }
    }

    /** The kernel took {@code n} bytes from the head: move past them, letting go of drained blocks. */
    public void advance(int n) {
        long files = inFiles;
        long left = pending - n;
        while (n > 0 && head != null) {
            int take = Math.min(n, head.readable());
            if (head.file != null) {
                files -= take;
            }
            head.readIndex += take;
            n -= take;
            if (head.readable() == 0) {
                popHead();
            }
        }
        setPending(left, files);
    }

    /**
     * Drops what is queued. With {@code keepHead} the head block stays, whole: a send the kernel
     * has not completed still reads it, and its bytes stay counted until that send reports. A
     * dropped block a zero-copy send still holds is only detached.
     */
    public void discard(boolean keepHead) {
        BlockPool.Block b = keepHead ? head.next : head;
        if (keepHead) {
            head.next = null;
            tail = head;
        } else {
            head = tail = null;
        }
        while (b != null) {
            BlockPool.Block next = b.next;
            b.next = null;
            letGo(b);
            b = next;
        }
        setPending(keepHead ? head.readable() : 0, keepHead && head.file != null ? head.readable() : 0);
    }

    /** Lets go of every block: nothing can send from the queue any more (the connection is closed). */
    public void releaseAll() {
        while (head != null) {
            popHead();
        }
        setPending(0, 0);
    }

    private void popHead() {
        BlockPool.Block b = head;
        head = b.next;
        if (head == null) {
            tail = null;
        }
        b.next = null;
        letGo(b);
    }

    /**
     * A block leaves the queue: back to the pool, unless a zero-copy send still holds it (its send
     * may have completed, but the kernel reads the block until the notification); then it is
     * detached, and released by the transport when its last notification arrives.
     */
    private void letGo(BlockPool.Block b) {
        if (b.zcPending > 0) {
            b.detached = true;
        } else {
            pool.release(b);
        }
    }
}
