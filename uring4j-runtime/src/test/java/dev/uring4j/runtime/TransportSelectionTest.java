package dev.uring4j.runtime;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import dev.uring4j.ring.UnavailabilityCause;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.uring4j.runtime.internal.nio.NioEventLoop;
import dev.uring4j.runtime.internal.uring.UringEventLoop;
import dev.uring4j.runtime.internal.uring.UringTransport;

/**
 * The selection rules of {@link TransportSelection}: each choice against each thing that can stop
 * io_uring (the setup errno as {@link UnavailabilityCause} classifies it, a missing required
 * feature), then the choice's sources (builder, property) and real groups on both transports.
 */
@Tag("transport-selection")
class TransportSelectionTest {
    private static final String ORIGIN = "-During4j.transport=test";
    private static final Supplier<UnavailabilityCause> AVAILABLE = () -> null;
    private static final Supplier<Map<Probe.Feature, String>> COMPLETE = Map::of;
    private static final String MSG_RING_MISSING = Probe.Feature.MSG_RING.description() + " needs Linux "
            + Probe.Feature.MSG_RING.kernel() + " or newer; this kernel is 5.15.0 (detected by IORING_OP_MSG_RING)";

    private static UnavailabilityCause seccomp() {
        return UnavailabilityCause.classify(Errno.EPERM, 0, null, 2, -1, 0);
    }

    private static UnavailabilityCause sysctl() {
        return UnavailabilityCause.classify(Errno.EPERM, 2, null, 0, -1, 0);
    }

    private static Supplier<UnavailabilityCause> refusedBy(UnavailabilityCause cause) {
        return () -> cause;
    }

    private static <T> Supplier<T> never(String what) {
        return () -> {
            throw new AssertionError(what + " must not be looked at");
        };
    }

    @Test
    void nioChosenIsNioWithoutTouchingIoUring() throws IOException {
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.NIO, ORIGIN, never("io_uring setup"),
                never("the probe"));
        assertEquals(Transport.NIO, s.transport());
        assertFalse(s.fallback(), "chosen, not a fallback");
        assertTrue(s.reason().contains(ORIGIN), s.reason());
    }

    @Test
    void autoWithIoUringWorkingAndEveryFeatureIsIoUring() throws IOException {
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.AUTO, ORIGIN, AVAILABLE, COMPLETE);
        assertEquals(Transport.IO_URING, s.transport());
        assertFalse(s.fallback());
        for (Probe.Feature f : UringTransport.REQUIRED) {
            assertTrue(s.reason().contains(f.name() + " " + f.kernel()), () -> "lists " + f + ": " + s.reason());
        }
    }

    @Test
    void autoUnderSeccompFallsBackNamingTheErrnoAndTheFilter() throws IOException {
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.AUTO, ORIGIN, refusedBy(seccomp()),
                never("the probe"));
        assertEquals(Transport.NIO, s.transport());
        assertTrue(s.fallback());
        assertTrue(s.reason().startsWith("io_uring is unavailable: io_uring_setup: EPERM (Operation not permitted): "
                + "a seccomp filter is active"), s.reason());
        assertTrue(s.logLine().startsWith("uring4j runs on the NIO transport (epoll): io_uring is unavailable"),
                s.logLine());
    }

    @Test
    void autoWithTheSysctlFallsBackNamingIt() throws IOException {
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.AUTO, ORIGIN, refusedBy(sysctl()),
                never("the probe"));
        assertEquals(Transport.NIO, s.transport());
        assertTrue(s.reason().contains("EPERM") && s.reason().contains("kernel.io_uring_disabled=2"), s.reason());
    }

    @Test
    void autoWithoutIoUringInTheKernelFallsBackNamingIt() throws IOException {
        UnavailabilityCause enosys = UnavailabilityCause.classify(Errno.ENOSYS, null, null, 0, -1, 0);
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.AUTO, ORIGIN, refusedBy(enosys),
                never("the probe"));
        assertEquals(Transport.NIO, s.transport());
        assertTrue(s.reason().contains("ENOSYS") && s.reason().contains("this kernel has no io_uring"), s.reason());
    }

    @Test
    void autoWithoutARequiredFeatureFallsBackNamingItAndItsKernel() throws IOException {
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.AUTO, ORIGIN, AVAILABLE,
                () -> Map.of(Probe.Feature.MSG_RING, MSG_RING_MISSING));
        assertEquals(Transport.NIO, s.transport());
        assertTrue(s.fallback());
        assertTrue(s.reason().contains("IORING_OP_MSG_RING") && s.reason().contains("needs Linux 5.18"), s.reason());
    }

    @Test
    void ioUringForcedUnderSeccompFailsNamingErrnoFilterAndTheForce() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> TransportSelection.decide(TransportSelection.Workload.TCP, Transport.IO_URING,
                ORIGIN, refusedBy(seccomp()), never("the probe")));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals("io_uring_setup", e.operation());
        assertTrue(e.getMessage().contains("seccomp filter is active"), e.getMessage());
        assertTrue(e.getMessage().contains(ORIGIN + " requires the io_uring transport"), e.getMessage());
    }

    @Test
    void ioUringForcedWithoutARequiredFeatureFailsNamingIt() {
        IOException e = assertThrows(IOException.class, () -> TransportSelection.decide(TransportSelection.Workload.TCP, Transport.IO_URING, ORIGIN,
                AVAILABLE, () -> Map.of(Probe.Feature.MSG_RING, MSG_RING_MISSING)));
        assertTrue(e.getMessage().contains("needs Linux 5.18") && e.getMessage().contains(ORIGIN), e.getMessage());
    }

    @Test
    void ioUringForcedWhereItWorksIsIoUring() throws IOException {
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.TCP, Transport.IO_URING, ORIGIN, AVAILABLE, COMPLETE);
        assertEquals(Transport.IO_URING, s.transport());
        assertTrue(s.reason().contains("required by " + ORIGIN), s.reason());
    }

    @Test
    void udpWithoutMultishotRecvmsgFallsBackUnderAutoAndFailsWhenIoUringIsForced() throws IOException {
        String missing = Probe.Feature.RECVMSG_MULTISHOT.description() + " needs Linux 6.0 or newer; this kernel is 5.19.0";
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.UDP, Transport.AUTO, ORIGIN,
                AVAILABLE, () -> Map.of(Probe.Feature.RECVMSG_MULTISHOT, missing));
        assertEquals(Transport.NIO, s.transport());
        assertTrue(s.fallback());
        assertTrue(s.reason().equals("this kernel lacks what UDP on the io_uring transport requires: " + missing), s.reason());
        IOException e = assertThrows(IOException.class, () -> TransportSelection.decide(TransportSelection.Workload.UDP,
                Transport.IO_URING, ORIGIN, AVAILABLE, () -> Map.of(Probe.Feature.RECVMSG_MULTISHOT, missing)));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains(ORIGIN + " requires UDP on the io_uring"),
                e.getMessage());
    }

    @Test
    void udpOnIoUringNeedsLinux60AndSaysSoWhenItRuns() throws IOException {
        for (Probe.Feature f : UringTransport.UDP_REQUIRED) {
            assertTrue(compare(f.kernel(), "6.0") <= 0, f + " arrived in " + f.kernel());
        }
        TransportSelection s = TransportSelection.decide(TransportSelection.Workload.UDP, Transport.AUTO, ORIGIN,
                AVAILABLE, COMPLETE);
        assertEquals(Transport.IO_URING, s.transport());
        assertTrue(s.reason().contains("RECVMSG_MULTISHOT 6.0"), s.reason());
    }

    @Test
    void theRequiredFeaturesAreLinux519AndThisKernelsProbeIsConsulted() {
        for (Probe.Feature f : UringTransport.REQUIRED) {
            assertTrue(compare(f.kernel(), "5.19") <= 0, f + " is said to be needed, and arrived in " + f.kernel());
        }
        Probe probe = Probe.current();
        Map<Probe.Feature, String> missing = UringTransport.missingRequired(probe);
        for (Probe.Feature f : UringTransport.REQUIRED) {
            assertEquals(!probe.supports(f), missing.containsKey(f), f.name());
        }
        missing.values().forEach(why -> assertTrue(why.contains("needs Linux") || why.contains("unavailable"), why));
    }

    @Test
    void spellingsOfTheChoice() {
        assertEquals(Transport.IO_URING, Transport.parse("uring"));
        assertEquals(Transport.IO_URING, Transport.parse("IO_URING"));
        assertEquals(Transport.NIO, Transport.parse(" nio "));
        assertEquals(Transport.AUTO, Transport.parse("Auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transport.parse("epol"));
        assertTrue(e.getMessage().contains("'epol'") && e.getMessage().contains("auto, uring (or io_uring), nio"),
                e.getMessage());
    }

    @Test
    void thePropertyDecidesForAutoAndTheBuilderOverridesIt() throws IOException {
        String old = System.getProperty(Transport.PROPERTY);
        try {
            System.setProperty(Transport.PROPERTY, "nio");
            TransportSelection s = TransportSelection.resolve(Transport.AUTO);
            assertEquals(Transport.NIO, s.transport());
            assertTrue(s.reason().contains("-During4j.transport=nio"), s.reason());
            if (IoUring.unavailabilityCause() == null) {
                assertEquals(Transport.IO_URING, TransportSelection.resolve(Transport.IO_URING).transport(),
                        "the builder's explicit choice wins");
            }
            System.setProperty(Transport.PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TransportSelection.resolve(Transport.AUTO));
            assertTrue(e.getMessage().startsWith("-During4j.transport: unknown transport 'fast'"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(Transport.PROPERTY);
            } else {
                System.setProperty(Transport.PROPERTY, old);
            }
        }
    }

    @Test
    void groupsRunOnTheTransportTheyAreGiven() throws IOException {
        try (EventLoopGroup nio = EventLoopGroup.builder().threads(1).transport(Transport.NIO).build()) {
            assertEquals(Transport.NIO, nio.transport());
            assertEquals(Transport.NIO, nio.loops().get(0).transport());
            assertInstanceOf(NioEventLoop.class, nio.loops().get(0));
            assertFalse(nio.transportSelection().fallback());
        }
        assumeTrue(IoUring.unavailabilityCause() == null, "io_uring is unavailable here");
        try (EventLoopGroup uring = EventLoopGroup.builder().threads(1).transport(Transport.IO_URING).build()) {
            assertEquals(Transport.IO_URING, uring.transport());
            assertInstanceOf(UringEventLoop.class, uring.loops().get(0));
        }
    }

    /** Kernel releases as numbers: "5.19" before "6.1". */
    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
