package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small files of {@link StaticFiles} kept in memory, shared by the loops: at most
 * {@code maxFileBytes} each and {@code maxTotalBytes} in all (a new file pushes older ones out), each
 * served without touching the disk for {@code revalidateNanos} after it was read or last found
 * unchanged; after that the next request opens and stats the file, and the kept copy is served again
 * if the entity tag is the same, else replaced. Keys are the requested path with the codings the
 * client accepts, in order, so each negotiated variant is kept apart. Any thread.
 */
final class FileCache {
    private final int maxFileBytes;
    private final long maxTotalBytes;
    private final long revalidateNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    /** One kept file: its headers' facts and its bytes (never written after it is kept). */
    static final class Entry {
        final FileResponse.Representation representation;
        final MemorySegment body;
        volatile long checkedAt;

        Entry(FileResponse.Representation representation, MemorySegment body, long checkedAt) {
            this.representation = representation;
            this.body = body;
            this.checkedAt = checkedAt;
        }
    }

    FileCache(int maxFileBytes, long maxTotalBytes, long revalidateNanos) {
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.revalidateNanos = revalidateNanos;
    }

    /**
     * Answers {@code r} from memory if its file is kept and was checked recently, returning
     * {@code true}; a kept file due for its check is handed to {@code r} to compare with the disk.
     */
    boolean serve(FileResponse r) {
        Entry e = entries.get(key(r));
        if (e == null) {
            return false;
        }
        if (System.nanoTime() - e.checkedAt > revalidateNanos) {
            r.revalidating = e;
            return false;
        }
        r.respondFromMemory(e.representation, e.body);
        return true;
    }

    /** Whether a file of {@code size} bytes is kept. */
    boolean wants(long size) {
        return size <= maxFileBytes;
    }

    /** The disk still has the kept file. */
    void revalidated(Entry e) {
        e.checkedAt = System.nanoTime();
    }

    /** Keeps what {@code r} read, pushing out other files until it fits. */
    void put(FileResponse r, FileResponse.Representation rep, MemorySegment body) {
        long size = body.byteSize();
        Iterator<Entry> others = entries.values().iterator();
        while (totalBytes.get() + size > maxTotalBytes && others.hasNext()) {
            Entry old = others.next();
            others.remove();
            totalBytes.addAndGet(-old.body.byteSize());
        }
        Entry replaced = entries.put(key(r), new Entry(rep, body, System.nanoTime()));
        totalBytes.addAndGet(size - (replaced == null ? 0 : replaced.body.byteSize()));
    }

    /** Forgets what is kept for {@code r} (the file changed into one not kept). */
    void remove(FileResponse r) {
        Entry old = entries.remove(key(r));
        if (old != null) {
            totalBytes.addAndGet(-old.body.byteSize());
        }
    }

    /** Bytes kept (tests). */
    long totalBytes() {
        return totalBytes.get();
    }

    private static String key(FileResponse r) {
        StringBuilder k = new StringBuilder(r.requested.length() + 4).append(r.requested).append('\0');
        for (int c : r.codings) {
            k.append((char) ('0' + c));
        }
        return k.toString();
    }
}
