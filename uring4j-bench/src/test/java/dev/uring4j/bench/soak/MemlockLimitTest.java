package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.uring4j.ring.IoUring;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * A locked-memory limit ({@code RLIMIT_MEMLOCK}) too small for the server's buffer rings: the
 * kernel charges a buffer ring's pages to it (unless the process has {@code CAP_IPC_LOCK}, which
 * root has and this test takes away), so registering one fails with {@code ENOMEM}. The server
 * must not start half-working: it exits, and what it prints names the limit, its value and how to
 * raise it. The limit (256 KiB) holds the small ring (64 entries) with room to spare but not the
 * two 512 KiB buffer rings. Where the kernel does not charge buffer rings to the limit the server
 * starts, and the test is skipped saying so.
 */
class MemlockLimitTest {
    private static final long LIMIT = 256 << 10;
    private static final int CAP_IPC_LOCK = 14;

    @Test
    void aLimitTooSmallForTheBufferRingsStopsTheServerNamingTheLimitAndTheFix() throws Exception {
        assumeTrue(IoUring.unavailabilityCause() == null, () -> "io_uring is unavailable here: "
                + IoUring.unavailabilityCause().message());
        assumeTrue(onPath("prlimit"), "prlimit (util-linux) is needed to start the server under a lower RLIMIT_MEMLOCK");
        List<String> command = new ArrayList<>();
        if (hasIpcLock()) {
            assumeTrue(onPath("setpriv"), "this process has CAP_IPC_LOCK, which exempts it from RLIMIT_MEMLOCK; "
                    + "setpriv (util-linux) is needed to start the server without it");
            command.addAll(List.of("setpriv", "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock"));
        }
        command.addAll(List.of("prlimit", "--memlock=" + LIMIT + ":" + LIMIT));
        String classpath = CliServer.classpath() + File.pathSeparator
                + Path.of(BufferRingServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        command.addAll(CliServer.java(List.of("--enable-native-access=ALL-UNNAMED"), classpath, BufferRingServer.class.getName()));

        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (var lines = p.inputReader(StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("listening on ")) {
                    p.destroyForcibly();
                    throw new TestAbortedException("Linux " + System.getProperty("os.version") + " does not charge buffer "
                            + "rings to RLIMIT_MEMLOCK: a server with " + 2 * BufferRingServer.BUFFER_RING_BYTES / 1024
                            + " KiB of buffer rings started under a limit of " + LIMIT / 1024 + " KiB without CAP_IPC_LOCK");
                }
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server exits");
        assertNotEquals(0, p.exitValue(), () -> "the server fails: " + output);
        String all = String.join("\n", output);
        String error = output.stream().filter(l -> l.contains("ENOMEM")).findFirst()
                .orElseThrow(() -> new AssertionError("no ENOMEM in the server's output: " + all));
        assertTrue(error.contains("PBUF_RING") || error.contains("buffer ring"), () -> "names the buffer ring: " + error);
        assertTrue(error.contains("RLIMIT_MEMLOCK") && error.contains(LIMIT + " bytes"),
                () -> "names the limit and its value (" + LIMIT + " bytes): " + error);
        assertTrue(error.contains("ulimit -l") && error.contains("LimitMEMLOCK="), () -> "says how to raise it: " + error);
    }

    /** Whether this process's effective capabilities include CAP_IPC_LOCK (root's do). */
    private static boolean hasIpcLock() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 1L << CAP_IPC_LOCK) != 0;
            }
        }
        return false;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
