package dev.uring4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where things are and how they run: the repository, the C programs built at bench time, the JVM
 * and the flags every Java server gets, and the two CPUs (server, load).
 *
 * <p>The Java servers' flags ({@link #DEFAULT_JVM_FLAGS}) are identical for every Java server:
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: what the JVM picks anyway when pinned to one CPU; explicit so a
 *       change in ergonomics cannot change the comparison. None of the servers allocates per
 *       message, so the collector hardly runs;
 *   <li>{@code -Xms256m -Xmx256m}: a fixed heap, so heap resizing is not part of the measurement;
 *   <li>{@code --enable-native-access=ALL-UNNAMED}: uring4j's FFM calls and Netty's JNI library
 *       loading are restricted operations on JDK 24+;
 *   <li>{@code --sun-misc-unsafe-memory-access=allow}: Netty's pooled direct buffers use
 *       {@code sun.misc.Unsafe}, which JDK 24+ otherwise warns about (and later JDKs deny);
 *   <li>{@code --add-opens=java.base/java.lang=ALL-UNNAMED}: lets uring4j's event loops carry virtual
 *       threads (the JDK has no public API for a virtual thread's scheduler); the other servers
 *       ignore it;
 *   <li>{@code -Dio.netty.leakDetection.level=disabled}: the setting a tuned production Netty
 *       runs with; the default samples buffer allocations for leak tracking.
 * </ul>
 */
public record BenchEnv(Path root, Path nativeDir, Path java, List<String> jvmFlags, String benchClasspath,
                int serverCpu, int loadCpu, long nsPerTick) {

    public static final List<String> DEFAULT_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC", "-Xms256m", "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled");

    Path tool(String name) {
        return nativeDir.resolve(name);
    }

    /** Why a C program is not there: the reason build-native.sh recorded, or a generic one. */
    String whyMissing(String name) {
        Path why = nativeDir.resolve(name + ".skip");
        try {
            String text = Files.readString(why).strip();
            if (!text.isEmpty()) {
                return text;
            }
        } catch (IOException ignored) {
            // no record: fall through to the generic reason
        }
        return name + " was not built (run uring4j-bench/scripts/build-native.sh)";
    }

    /** The HTTPS servers' certificate (PEM), made on first use. */
    Path tlsCertificate() {
        return tlsFiles()[0];
    }

    /** The HTTPS servers' private key (PEM), made on first use. */
    Path tlsKey() {
        return tlsFiles()[1];
    }

    /**
     * A self-signed EC certificate for localhost and 127.0.0.1 and its key, beside the C programs;
     * made again when missing or more than 30 days old (it is valid for a year). The load tool
     * does not check it: it only has to be the same for every server.
     */
    private Path[] tlsFiles() {
        Path cert = nativeDir.resolve("tls/certificate.pem");
        Path key = nativeDir.resolve("tls/key.pem");
        try {
            if (!Files.exists(key) || !Files.exists(cert) || Files.getLastModifiedTime(cert).toInstant()
                    .isBefore(Instant.now().minus(Duration.ofDays(30)))) {
                Files.createDirectories(cert.getParent());
                dev.uring4j.runtime.SelfSignedCertificate.generate("localhost", "127.0.0.1").writePem(cert, key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTTPS servers' certificate under " + cert.getParent(), e);
        }
        return new Path[] {cert, key};
    }

    /** {@code taskset -c CPU} in front of a command. */
    public static List<String> pinned(int cpu, List<String> command) {
        List<String> line = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu)));
        line.addAll(command);
        return line;
    }
}
