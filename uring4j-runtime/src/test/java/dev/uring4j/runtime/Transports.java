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

    /** What a group built with the defaults runs on in this JVM. */
    static Transport current() {
        try {
            return TransportSelection.resolve(Transport.AUTO).transport();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean ioUring() {
        return current() == Transport.IO_URING;
    }

    /** Skips the test unless it runs on io_uring: {@code path} exists only there. */
    static void assumeIoUring(String path) {
        assumeTrue(ioUring(), () -> path + " is an io_uring path; this run is on " + current());
    }
}
