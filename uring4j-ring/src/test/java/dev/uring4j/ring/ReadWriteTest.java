package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code read} and {@code write} at the file position ({@code offset} -1) on an eventfd: how a
 * loop is woken by a foreign thread, which writes the eventfd while the loop keeps a read armed.
 */
class ReadWriteTest {
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void aWriteWakesAnArmedRead(RingConfig config) throws Exception {
        config.assumeSupported();
        int efd = Sockets.check(LibC.eventfd(0, LibC.EFD_CLOEXEC), "eventfd");
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment in = arena.allocate(JAVA_LONG);
            ring.getSqe().prepRead(efd, in.address(), 8, -1).userData(1);
            cqes.assertNoneWithin(20);

            MemorySegment out = arena.allocate(JAVA_LONG);
            out.set(JAVA_LONG, 0, 5);
            ring.getSqe().prepWrite(efd, out.address(), 8, -1).userData(2);
            for (Completions.Completion c : cqes.take(2)) {
                assertEquals(8, c.res(), c::toString); // the woken read may complete before the write
            }
            assertEquals(5, in.get(JAVA_LONG, 0), "the counter the writer added");
        } finally {
            Sockets.close(efd);
        }
    }
}
