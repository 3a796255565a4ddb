package dev.uring4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code uring4j probe} says what a server started with the same flags and properties really
 * takes: it starts one and asks it. Each case runs the command in a JVM of its own, as the script
 * does, so that properties such as {@code -During4j.transport} apply from the start.
 */
class ProbeCommandTest {

    @BeforeEach
    void needsIoUring() {
        assumeTrue(IoUring.unavailabilityCause() == null, "io_uring is unavailable here: the probe's tables have "
                + "nothing to say about io_uring paths");
    }

    @Test
    void zeroCopySendWithItsThresholdAtNeverIsNotReportedAsUsed() throws Exception {
        List<String> out = probe(List.of());
        assertEquals("SEND_ZC              no    copying send: no send is large enough: sendZcThreshold is never "
                + "(UringOptions.Builder.sendZcThreshold)", path(out, "SEND_ZC"));
    }

    @Test
    void descriptorPassingIsReportedOnlyWhereTheServerHandsConnectionsOver() throws Exception {
        assumeTrue(Probe.current().supports(Probe.Feature.MSG_RING_FD), "this kernel cannot pass descriptors");
        assertTrue(path(probe(List.of()), "MSG_RING_FD").contains("no    SO_REUSEPORT accept on every loop: one loop "
                + "accepts and serves"), "one loop: nothing to hand over");
        assertTrue(path(probe(List.of(), "--threads", "2"), "MSG_RING_FD").startsWith("MSG_RING_FD          yes"),
                "two loops in acceptor mode hand connections over");
        assertTrue(path(probe(List.of(), "--threads", "2", "--accept", "reuseport"), "MSG_RING_FD")
                .contains("each loop accepts its own connections (REUSEPORT)"), "reuseport: every loop accepts");
    }

    @Test
    void theTransportPropertyDecidesWhatIsReported() throws Exception {
        List<String> out = probe(List.of("-During4j.transport=nio"));
        assertEquals("TRANSPORT (NIO, -During4j.transport): nio", line(out, "TRANSPORT"));
        assertEquals("RUNTIME PATH: none, NIO (epoll) takes no io_uring path", line(out, "RUNTIME PATH"));
        assertEquals("UDP (NIO, -During4j.transport): nio", line(out, "UDP"));
    }

    @Test
    void udpIsReportedOnNioWhereTheKernelLacksMultishotRecvmsg() throws Exception {
        List<String> out = probe(List.of("-During4j.probe.hide=RECVMSG_MULTISHOT"));
        assertEquals("TRANSPORT (AUTO): io_uring", line(out, "TRANSPORT"), "TCP does without it");
        assertEquals("UDP (AUTO): nio, the fallback", line(out, "UDP"));
        assertTrue(out.get(out.indexOf("UDP (AUTO): nio, the fallback") + 1).contains("multishot recvmsg is hidden"),
                () -> "and says why: " + out);
    }

    /** The line of {@code path} in the runtime path table (the kernel's feature table comes before it). */
    private static String path(List<String> out, String path) {
        List<String> table = out.subList(out.indexOf(line(out, "RUNTIME PATH")), out.size());
        return line(table, path + " ");
    }

    private static String line(List<String> out, String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in " + out));
    }

    /** {@code uring4j probe args} in a JVM of its own with {@code jvmArgs}; its standard output. */
    private static List<String> probe(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("probe");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> out = p.inputReader(StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe ends");
        assertEquals(0, p.exitValue(), () -> "probe succeeds: " + out);
        return out;
    }
}
