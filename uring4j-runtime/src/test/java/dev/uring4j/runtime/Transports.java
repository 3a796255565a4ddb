package dev.uring4j.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transport this test run is on. The suite runs twice (see the pom): once as the kernel
 * allows (io_uring here) and once with {@code -During4j.transport=nio}; tests of io_uring paths
 * skip themselves on NIO with this, naming the path.
 */
final class Transports {
    private Transports() {}

    /** What a group built with the defaults runs on in this JVM, and why. */
    static TransportSelection selection() {
        try {
            return TransportSelection.resolve(Transport.AUTO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a group built with the defaults runs on in this JVM. */
    static Transport current() {
        return selection().transport();
    }

    static boolean ioUring() {
        return current() == Transport.IO_URING;
    }

    /**
     * Skips the test unless it runs on io_uring: {@code path} exists only there. The reason says
     * why this run is elsewhere: the property that chose NIO, the errno and cause that keep
     * io_uring from being set up, or each feature the transport requires that the kernel lacks,
     * with the release that brings it.
     */
    static void assumeIoUring(String path) {
        TransportSelection s = selection();
        assumeTrue(s.transport() == Transport.IO_URING,
                () -> path + " exists only on io_uring; this run is on " + s.transport() + ": " + s.reason());
    }
}
