package dev.uring4j.runtime;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a file through the ring allocates nothing per read on the loop thread: the operation's
 * slot, its {@code user_data} and the caller's reused callback are all there is. (The blocking pool
 * that stands in without the ring's file operations allocates by design: a task per read.)
 */
@Tag("io_uring")
@ExtendWith(WithoutLeakDetection.class)
class LoopFileAllocationTest {
    @TempDir
    Path tmp;

    /** Reads the file in chunks, round and round, counting reads until told how many to make. */
    private static final class Reader implements LoopFile.ReadCallback {
        final LoopFile file;
        final MemorySegment buffer;
        final long size;
        long position;
        int left;
        CompletableFuture<Void> done;

        Reader(LoopFile file, MemorySegment buffer, long size) {
            this.file = file;
            this.buffer = buffer;
            this.size = size;
        }

        void start(int reads, CompletableFuture<Void> whenDone) {
            left = reads;
            done = whenDone;
            file.read(buffer, position, this);
        }

        @Override
        public void complete(int bytes, IOException error) {
            if (error != null || bytes <= 0) {
                done.completeExceptionally(error != null ? error : new IllegalStateException("read returned " + bytes));
                return;
            }
            position = (position + bytes) % size;
            if (--left == 0) {
                done.complete(null);
            } else {
                file.read(buffer, position, this);
            }
        }
    }

    @Test
    void readsAllocateNothingOnTheLoopThread() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path path = Files.write(tmp.resolve("f"), new byte[1 << 20]);
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            EventLoop loop = group.loops().get(0);
            CompletableFuture<LoopFile> opened = new CompletableFuture<>();
            loop.execute(() -> LoopFile.open(loop, path, (f, e) -> {
                if (e != null) {
                    opened.completeExceptionally(e);
                } else {
                    opened.complete(f);
                }
            }));
            LoopFile file = opened.get(10, TimeUnit.SECONDS);
            Reader reader = new Reader(file, Arena.global().allocate(4096), 1 << 20);
            CompletableFuture<Long> tid = new CompletableFuture<>();
            loop.execute(() -> tid.complete(Thread.currentThread().threadId()));
            long loopThread = tid.get(10, TimeUnit.SECONDS);
            run(loop, reader, 20_000);
            long before = threads.getThreadAllocatedBytes(loopThread);
            int reads = 20_000;
            run(loop, reader, reads);
            long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
            double perRead = (double) allocated / reads;
            System.out.printf("allocation: %d bytes over %d file reads on the loop thread (%.4f per read)%n",
                    allocated, reads, perRead);
            // The two tasks that start and end a run allocate a little; a read allocating anything would be 20,000 times it.
            assertTrue(perRead < 0.1, allocated + " bytes allocated for " + reads + " reads");
            loop.execute(file::close);
        }
    }

    private static void run(EventLoop loop, Reader reader, int reads) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> reader.start(reads, done));
        done.get(60, TimeUnit.SECONDS);
    }
}
