package dev.uring4j.ring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_ACCEPT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_NOP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_RECV;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Probe}: every feature test skips on its word, so a probe that wrongly said "missing"
 * would silently turn tests off. It must report this kernel's release, opcodes and feature bits,
 * and find every feature the release is known to bring.
 */
class ProbeTest {
    private Probe probe;

    @BeforeEach
    void probe() {
        RingConfig.DEFAULT.assumeSupported();
        probe = Probe.current();
    }

    @Test
    void describesThisKernel() throws Exception {
        assertSame(probe, Probe.current(), "probed once per process");
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), probe.kernelRelease());
        try (IoUring ring = IoUring.setup(2)) {
            assertEquals(ring.features(), probe.features(), "the feature bits a ring reports at setup");
        }
        assertTrue(probe.lastOp() >= IORING_OP_ACCEPT, "io_uring with networking opcodes: last op " + probe.lastOp());
        for (int op : new int[] {IORING_OP_NOP, IORING_OP_ACCEPT, IORING_OP_SEND, IORING_OP_RECV}) {
            assertTrue(probe.opSupported(op), "opcode " + op);
        }
        assertFalse(probe.opSupported(probe.lastOp() + 1), "nothing past the last opcode");
        assertFalse(probe.opSupported(-1));
        assertFalse(probe.opSupported(256));
        assertNull(probe.unavailabilityCause());
    }

    @Test
    void findsEveryFeatureThisKernelReleaseBrings() {
        int[] running = version(probe.kernelRelease());
        for (Probe.Feature f : Probe.Feature.values()) {
            int[] needed = version(f.kernel());
            boolean released = running[0] > needed[0] || running[0] == needed[0] && running[1] >= needed[1];
            if (released) {
                assertTrue(probe.supports(f), () -> f + " arrived in " + f.kernel() + " but the probe says: "
                        + probe.whyMissing(f));
            }
        }
    }

    @Test
    void whyMissingIsNullExactlyForSupportedFeatures() {
        assertEquals(Probe.Feature.values().length, probe.all().size());
        for (Probe.Feature f : Probe.Feature.values()) {
            String why = probe.whyMissing(f);
            assertEquals(probe.supports(f), why == null, f::name);
            if (why != null) {
                assertTrue(why.contains(f.description()) && why.contains(f.kernel())
                        && why.contains(probe.kernelRelease()), why);
            }
        }
    }

    @Test
    void reportListsEveryFeatureWithItsKernelAndVerdict() {
        String report = probe.report();
        assertTrue(report.startsWith("kernel " + probe.kernelRelease() + ", io_uring available"), report);
        for (Probe.Feature f : Probe.Feature.values()) {
            Pattern row = Pattern.compile("(?m)^" + f.name() + " +" + Pattern.quote(f.kernel()) + " +"
                    + (probe.supports(f) ? "yes" : "no") + " ");
            assertTrue(row.matcher(report).find(), () -> f + " row missing or wrong in:\n" + report);
        }
    }

    private static int[] version(String release) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        assertTrue(m.find(), release);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
