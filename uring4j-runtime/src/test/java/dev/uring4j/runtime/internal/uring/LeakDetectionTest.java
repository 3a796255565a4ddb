package dev.uring4j.runtime.internal.uring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LeakDetection;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.internal.Leaks;

/**
 * Leak detection names what a loop did not give back and where it was taken: a native block and
 * a provided buffer kept past the loop's close are reported with the test's own frames in their
 * acquisition stacks, and giving back what is not held is reported too.
 */
@Tag("io_uring")
class LeakDetectionTest {

    @Test
    void aBlockAndABufferKeptPastCloseAreReportedWithWhereTheyWereTaken() throws Exception {
        assumeTrue(LeakDetection.enabled(), "the suite runs with -D" + LeakDetection.PROPERTY + "=true (see the pom)");
        LeakDetection.takeReported();
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).transport(Transport.IO_URING).build()) {
            UringEventLoop loop = (UringEventLoop) group.loops().get(0);
            CompletableFuture<Void> taken = new CompletableFuture<>();
            loop.execute(() -> {
                loop.blocks.acquire(3000);
                loop.buffers.take(0, 3);
                taken.complete(null);
            });
            taken.get(5, TimeUnit.SECONDS);
        }
        List<String> reports = LeakDetection.takeReported();
        assertEquals(2, reports.size(), String.join("\n", reports));
        String block = reports.stream().filter(r -> r.contains("native block not given back: 4096 bytes")).findFirst()
                .orElseThrow(() -> new AssertionError("no block reported: " + reports));
        assertTrue(block.contains("BlockPool.acquire") && block.contains(LeakDetectionTest.class.getName()), block);
        String buffer = reports.stream()
                .filter(r -> r.contains("provided buffer not given back: buffer 3 of group "))
                .findFirst().orElseThrow(() -> new AssertionError("no buffer reported: " + reports));
        assertTrue(buffer.contains(LeakDetectionTest.class.getName()), buffer);
    }

    @Test
    void givingBackWhatIsNotHeldIsReported() {
        assumeTrue(LeakDetection.enabled(), "the suite runs with -D" + LeakDetection.PROPERTY + "=true (see the pom)");
        LeakDetection.takeReported();
        Leaks leaks = Leaks.forLoop("a-loop");
        Object descriptor = new Object();
        leaks.acquired(Leaks.Kind.DESCRIPTOR, descriptor, "a socket");
        leaks.released(Leaks.Kind.DESCRIPTOR, descriptor);
        leaks.released(Leaks.Kind.DESCRIPTOR, descriptor);
        leaks.loopClosed();
        List<String> reports = LeakDetection.takeReported();
        assertEquals(1, reports.size(), String.join("\n", reports));
        assertTrue(reports.get(0).startsWith("a-loop: descriptor ") && reports.get(0).contains("given back but not held")
                && reports.get(0).contains(LeakDetectionTest.class.getName()), reports.get(0));
    }
}
