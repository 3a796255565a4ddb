package dev.uring4j.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.uring4j.ring.uapi.IoUringH.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.uring4j.ring.uapi.IoUringProbe;
import dev.uring4j.ring.uapi.IoUringProbeOp;

/**
 * What the running kernel's io_uring offers, and for each missing feature why.
 *
 * <p>Opcodes come from {@code IORING_REGISTER_PROBE}; feature bits from setup; setup flags and
 * registrations are tried on scratch rings. Behaviours that have neither an opcode nor a flag of
 * their own (multishot receive, {@code IORING_CQE_F_SOCK_NONEMPTY}, ...) are detected through an
 * opcode or feature bit that arrived in the same kernel release; {@link Feature#detectedBy()}
 * says which. {@link #current()} probes once per process.
 *
 * <p>{@code -During4j.probe.hide=FEATURE,...} makes the probe report features as missing that the
 * kernel has, so that what uring4j does on an older kernel (each fallback, each clear refusal) can
 * be tried on this one. {@link #whyMissing} then says the feature is hidden, not absent.
 */
public final class Probe {
    /** The system property naming features to report as missing. */
    public static final String HIDE_PROPERTY = "uring4j.probe.hide";

    /** The io_uring features uring4j uses, with the kernel release that brought each. */
    public enum Feature {
        /** {@code IORING_OP_SENDMSG}: a send with a msghdr, several buffers (an iovec) in one operation. */
        SENDMSG("sendmsg (IORING_OP_SENDMSG)", "5.3", "IORING_OP_SENDMSG"),
        /** Files through the ring: {@code IORING_OP_OPENAT}, {@code OPENAT2}, {@code STATX}, {@code READ} and {@code CLOSE}. */
        FILE_IO("file I/O (IORING_OP_OPENAT, IORING_OP_OPENAT2, IORING_OP_STATX, IORING_OP_READ, IORING_OP_CLOSE)", "5.6",
                "IORING_OP_OPENAT, IORING_OP_OPENAT2, IORING_OP_STATX, IORING_OP_READ, IORING_OP_CLOSE"),
        /** {@code openat2} through the ring, with {@code RESOLVE_BENEATH} and the other resolve flags. */
        OPENAT2("openat2 (IORING_OP_OPENAT2)", "5.6", "IORING_OP_OPENAT2"),
        /** {@code splice} through the ring. */
        SPLICE("splice (IORING_OP_SPLICE)", "5.7", "IORING_OP_SPLICE"),
        /** Timed waits in {@code io_uring_enter} without a timeout SQE. */
        EXT_ARG("timed waits in io_uring_enter (IORING_ENTER_EXT_ARG)", "5.11", "IORING_FEAT_EXT_ARG"),
        /** Multishot poll: one request, a completion per readiness event. */
        POLL_MULTISHOT("multishot poll (IORING_POLL_ADD_MULTI)", "5.13", "IORING_FEAT_RSRC_TAGS (same release)"),
        /** Messages from one ring to another ({@code IORING_OP_MSG_RING}). */
        MSG_RING("ring messages (IORING_OP_MSG_RING)", "5.18", "IORING_OP_MSG_RING"),
        /** Enters through a registered ring fd, which skip the fd lookup. */
        REGISTERED_RING_FD("registered ring fd (IORING_ENTER_REGISTERED_RING)", "5.18", "IORING_REGISTER_RING_FDS, tried"),
        /** Submission that goes on past an SQE that fails ({@code IORING_SETUP_SUBMIT_ALL}). */
        SUBMIT_ALL("IORING_SETUP_SUBMIT_ALL", "5.18", "setup, tried"),
        /** Task work run when the thread enters the ring, instead of interrupting it. */
        COOP_TASKRUN("IORING_SETUP_COOP_TASKRUN", "5.19", "setup, tried"),
        /** The {@code IORING_SQ_TASKRUN} flag, telling that task work waits for an enter. */
        TASKRUN_FLAG("IORING_SETUP_TASKRUN_FLAG", "5.19", "setup, tried"),
        /** 32-byte completions ({@code IORING_SETUP_CQE32}). */
        CQE32("IORING_SETUP_CQE32", "5.19", "setup, tried"),
        /** Ring-mapped provided buffers ({@link BufferRing}). */
        PBUF_RING("ring-mapped provided buffers (IORING_REGISTER_PBUF_RING)", "5.19", "IORING_REGISTER_PBUF_RING, tried"),
        /** Multishot accept: a completion per connection. */
        MULTISHOT_ACCEPT("multishot accept (IORING_ACCEPT_MULTISHOT)", "5.19", "IORING_OP_SOCKET (same release)"),
        /** Accept into direct descriptors. */
        ACCEPT_DIRECT("accept into direct descriptors (IORING_FILE_INDEX_ALLOC)", "5.19", "IORING_OP_SOCKET (same release)"),
        /** Socket creation through the ring ({@code IORING_OP_SOCKET}). */
        SOCKET("IORING_OP_SOCKET", "5.19", "IORING_OP_SOCKET"),
        /** Receives telling that the socket has more data ({@code IORING_CQE_F_SOCK_NONEMPTY}). */
        SOCK_NONEMPTY("IORING_CQE_F_SOCK_NONEMPTY", "5.19", "IORING_OP_SOCKET (same release)"),
        /** Sends and receives that wait for readiness before trying ({@code IORING_RECVSEND_POLL_FIRST}). */
        POLL_FIRST("IORING_RECVSEND_POLL_FIRST", "5.19", "IORING_OP_SOCKET (same release)"),
        /** Cancellation of every request, whatever its key ({@code IORING_ASYNC_CANCEL_ANY}). */
        CANCEL_ANY("IORING_ASYNC_CANCEL_ANY", "5.19", "IORING_OP_SOCKET (same release)"),
        /** Rings with a single submitting thread ({@code IORING_SETUP_SINGLE_ISSUER}). */
        SINGLE_ISSUER("IORING_SETUP_SINGLE_ISSUER", "6.0", "setup, tried"),
        /** Multishot receive: a completion per arrival of data. */
        RECV_MULTISHOT("multishot recv (IORING_RECV_MULTISHOT)", "6.0", "IORING_OP_SEND_ZC (same release)"),
        /** Multishot recvmsg. */
        RECVMSG_MULTISHOT("multishot recvmsg", "6.0", "IORING_OP_SEND_ZC (same release)"),
        /** Zero-copy send. */
        SEND_ZC("zero-copy send (IORING_OP_SEND_ZC)", "6.0", "IORING_OP_SEND_ZC"),
        /** Passing direct descriptors between rings. */
        MSG_RING_FD("passing direct descriptors between rings (IORING_MSG_SEND_FD)", "6.0", "IORING_OP_SEND_ZC (same release)"),
        /** A range of the direct-descriptor table for the slots the kernel allocates. */
        FILE_ALLOC_RANGE("IORING_REGISTER_FILE_ALLOC_RANGE", "6.0", "IORING_REGISTER_FILE_ALLOC_RANGE, tried"),
        /** Task work deferred until the ring's thread waits ({@code IORING_SETUP_DEFER_TASKRUN}). */
        DEFER_TASKRUN("IORING_SETUP_DEFER_TASKRUN", "6.1", "setup with SINGLE_ISSUER, tried"),
        /** Zero-copy sendmsg. */
        SENDMSG_ZC("zero-copy sendmsg (IORING_OP_SENDMSG_ZC)", "6.1", "IORING_OP_SENDMSG_ZC"),
        /** Sends that carry their destination in the SQE ({@code io_uring_prep_sendto}). */
        SENDTO("sendto: IORING_OP_SEND with a destination address", "6.1", "IORING_OP_SENDMSG_ZC (same release)"),
        /** Registrations through the registered ring fd. */
        REG_REG_RING("register through the registered ring fd", "6.3", "IORING_FEAT_REG_REG_RING"),
        /** Ring messages that set the target completion's flags. */
        MSG_RING_CQE_FLAGS("ring messages carrying CQE flags (IORING_MSG_RING_FLAGS_PASS)", "6.3",
                "IORING_FEAT_REG_REG_RING (same release)"),
        /** Buffer rings whose memory the kernel allocates. */
        PBUF_RING_MMAP("kernel-allocated buffer rings (IOU_PBUF_RING_MMAP)", "6.4", "IOU_PBUF_RING_MMAP, tried"),
        /** Rings without the SQ index array ({@code IORING_SETUP_NO_SQARRAY}). */
        NO_SQARRAY("IORING_SETUP_NO_SQARRAY", "6.6", "setup, tried"),
        /** A normal fd made from a direct descriptor. */
        FIXED_FD_INSTALL("IORING_OP_FIXED_FD_INSTALL", "6.8", "IORING_OP_FIXED_FD_INSTALL"),
        /** Reading a buffer ring's head ({@code IORING_REGISTER_PBUF_STATUS}). */
        PBUF_STATUS("buffer ring head query (IORING_REGISTER_PBUF_STATUS)", "6.8", "IORING_REGISTER_PBUF_STATUS, tried"),
        /** NAPI busy polling in the ring's waits ({@code IORING_REGISTER_NAPI}). */
        NAPI("NAPI busy polling (IORING_REGISTER_NAPI)", "6.9", "IORING_REGISTER_NAPI, tried"),
        /** Sends and receives spanning several provided buffers (bundles). */
        RECVSEND_BUNDLE("send/recv bundles (IORING_RECVSEND_BUNDLE)", "6.10", "IORING_FEAT_RECVSEND_BUNDLE"),
        /** Bind and listen through the ring. */
        BIND_LISTEN("IORING_OP_BIND and IORING_OP_LISTEN", "6.11", "IORING_OP_BIND, IORING_OP_LISTEN"),
        /** Provided buffers consumed a piece at a time. */
        PBUF_RING_INC("incremental buffer consumption (IOU_PBUF_RING_INC)", "6.12", "IOU_PBUF_RING_INC, tried"),
        /** Waits that batch completions arriving close together ({@code min_wait_usec}). */
        MIN_TIMEOUT("min_wait_usec batching (IORING_FEAT_MIN_TIMEOUT)", "6.12", "IORING_FEAT_MIN_TIMEOUT");

        private final String description;
        private final String kernel;
        private final String detectedBy;

        Feature(String description, String kernel, String detectedBy) {
            this.description = description;
            this.kernel = kernel;
            this.detectedBy = detectedBy;
        }

        /** {@return what the feature is, in words} */
        public String description() {
            return description;
        }

        /** {@return the Linux release that brought the feature} */
        public String kernel() {
            return kernel;
        }

        /** {@return how the probe decides whether the kernel has the feature} */
        public String detectedBy() {
            return detectedBy;
        }
    }

    private static volatile Probe current;

    private final String kernelRelease;
    private final UnavailabilityCause unavailable;
    private final boolean[] ops = new boolean[256];
    private final int lastOp;
    private final int features;
    private final Map<Feature, Boolean> supported = new EnumMap<>(Feature.class);
    private final Set<Feature> hidden = EnumSet.noneOf(Feature.class);

    private Probe(String kernelRelease, UnavailabilityCause unavailable, int lastOp, int features) {
        this.kernelRelease = kernelRelease;
        this.unavailable = unavailable;
        this.lastOp = lastOp;
        this.features = features;
    }

    /**
     * The probe of this process's kernel, computed on first use (a few scratch rings are set up and
     * closed) and kept.
     *
     * @return the probe; it reports every feature missing where io_uring is unavailable
     * @throws IllegalStateException when io_uring can be set up but refuses to be probed
     * @throws IllegalArgumentException when {@code -During4j.probe.hide} names an unknown feature
     */
    public static Probe current() {
        Probe p = current;
        if (p == null) {
            synchronized (Probe.class) {
                p = current;
                if (p == null) {
                    current = p = run();
                }
            }
        }
        return p;
    }

    private static Probe run() {
        String release = kernelReleaseOf();
        UnavailabilityCause cause = IoUring.unavailabilityCause();
        if (cause != null) {
            Probe p = new Probe(release, cause, -1, 0);
            for (Feature f : Feature.values()) {
                p.supported.put(f, false);
            }
            return p;
        }
        try (IoUring ring = IoUring.setup(4)) {
            int lastOp;
            boolean[] ops = new boolean[256];
            try (Arena a = Arena.ofConfined()) {
                MemorySegment probe = a.allocate(IoUringProbe.LAYOUT.byteSize() + 256 * IoUringProbeOp.LAYOUT.byteSize(), 8);
                int r = ring.register(IORING_REGISTER_PROBE, probe, 256);
                Register.check(r, "IORING_REGISTER_PROBE");
                lastOp = Byte.toUnsignedInt(probe.get(JAVA_BYTE, IoUringProbe.OFFSET_last_op));
                int opsLen = Byte.toUnsignedInt(probe.get(JAVA_BYTE, IoUringProbe.OFFSET_ops_len));
                for (int i = 0; i < opsLen; i++) {
                    long op = IoUringProbe.OFFSET_ops + i * IoUringProbeOp.LAYOUT.byteSize();
                    int flags = probe.get(JAVA_SHORT, op + IoUringProbeOp.OFFSET_flags);
                    ops[Byte.toUnsignedInt(probe.get(JAVA_BYTE, op + IoUringProbeOp.OFFSET_op))] =
                            (flags & IO_URING_OP_SUPPORTED) != 0;
                }
            }
            Probe p = new Probe(release, null, lastOp, ring.features());
            System.arraycopy(ops, 0, p.ops, 0, ops.length);
            p.detect(ring);
            p.hide(System.getProperty(HIDE_PROPERTY, ""));
            return p;
        } catch (ErrnoException e) {
            throw new IllegalStateException("probing io_uring failed: " + e.getMessage(), e);
        }
    }

    private void detect(IoUring ring) {
        boolean socketOp = ops[IORING_OP_SOCKET];
        boolean sendZc = ops[IORING_OP_SEND_ZC];
        put(Feature.SENDMSG, ops[IORING_OP_SENDMSG]);
        put(Feature.FILE_IO, ops[IORING_OP_OPENAT] && ops[IORING_OP_OPENAT2] && ops[IORING_OP_STATX] && ops[IORING_OP_READ]
                && ops[IORING_OP_CLOSE]);
        put(Feature.OPENAT2, ops[IORING_OP_OPENAT2]);
        put(Feature.SPLICE, ops[IORING_OP_SPLICE]);
        put(Feature.EXT_ARG, (features & IORING_FEAT_EXT_ARG) != 0);
        put(Feature.POLL_MULTISHOT, (features & IORING_FEAT_RSRC_TAGS) != 0);
        put(Feature.MSG_RING, ops[IORING_OP_MSG_RING]);
        put(Feature.REGISTERED_RING_FD, tryRegisterRingFd());
        put(Feature.SUBMIT_ALL, trySetup(IORING_SETUP_SUBMIT_ALL));
        put(Feature.COOP_TASKRUN, trySetup(IORING_SETUP_COOP_TASKRUN));
        put(Feature.TASKRUN_FLAG, trySetup(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG));
        put(Feature.CQE32, trySetup(IORING_SETUP_CQE32));
        put(Feature.PBUF_RING, tryBufferRing(ring, 0));
        put(Feature.MULTISHOT_ACCEPT, socketOp);
        put(Feature.ACCEPT_DIRECT, socketOp);
        put(Feature.SOCKET, socketOp);
        put(Feature.SOCK_NONEMPTY, socketOp);
        put(Feature.POLL_FIRST, socketOp);
        put(Feature.CANCEL_ANY, socketOp);
        put(Feature.SINGLE_ISSUER, trySetup(IORING_SETUP_SINGLE_ISSUER));
        put(Feature.RECV_MULTISHOT, sendZc);
        put(Feature.RECVMSG_MULTISHOT, sendZc);
        put(Feature.SEND_ZC, sendZc);
        put(Feature.MSG_RING_FD, sendZc);
        put(Feature.FILE_ALLOC_RANGE, tryFileAllocRange());
        put(Feature.DEFER_TASKRUN, trySetup(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN));
        put(Feature.SENDMSG_ZC, ops[IORING_OP_SENDMSG_ZC]);
        put(Feature.SENDTO, ops[IORING_OP_SENDMSG_ZC]);
        put(Feature.REG_REG_RING, (features & IORING_FEAT_REG_REG_RING) != 0);
        put(Feature.MSG_RING_CQE_FLAGS, ops[IORING_OP_MSG_RING] && (features & IORING_FEAT_REG_REG_RING) != 0);
        put(Feature.PBUF_RING_MMAP, tryBufferRing(ring, IOU_PBUF_RING_MMAP));
        put(Feature.NO_SQARRAY, trySetup(IORING_SETUP_NO_SQARRAY));
        put(Feature.FIXED_FD_INSTALL, ops[IORING_OP_FIXED_FD_INSTALL]);
        put(Feature.PBUF_STATUS, tryBufferRingStatus(ring));
        put(Feature.NAPI, tryNapi(ring));
        put(Feature.RECVSEND_BUNDLE, (features & IORING_FEAT_RECVSEND_BUNDLE) != 0);
        put(Feature.BIND_LISTEN, ops[IORING_OP_BIND] && ops[IORING_OP_LISTEN]);
        put(Feature.PBUF_RING_INC, tryBufferRing(ring, IOU_PBUF_RING_INC));
        put(Feature.MIN_TIMEOUT, (features & IORING_FEAT_MIN_TIMEOUT) != 0);
    }

    /** Reports the features named in {@code names} (comma-separated) as missing. */
    private void hide(String names) {
        for (String name : names.split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            Feature f;
            try {
                f = Feature.valueOf(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + HIDE_PROPERTY + ": unknown feature '" + name.trim()
                        + "'; known: " + EnumSet.allOf(Feature.class), e);
            }
            if (supports(f)) {
                hidden.add(f);
                supported.put(f, false);
            }
        }
    }

    private void put(Feature f, boolean value) {
        supported.put(f, value);
    }

    private static boolean trySetup(int flags) {
        try (IoUring r = IoUring.builder().entries(2).flags(flags).build()) {
            return (r.setupFlags() & flags) == flags;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static boolean tryRegisterRingFd() {
        try (IoUring r = IoUring.builder().entries(2).registerRingFd(true).build()) {
            return r.isRingFdRegistered();
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static boolean tryFileAllocRange() {
        try (IoUring r = IoUring.setup(2)) {
            r.registerFilesSparse(4);
            r.registerFileAllocRange(0, 4);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static boolean tryBufferRing(IoUring ring, int flags) {
        try (BufferRing br = BufferRing.register(ring, 0x7F0 + flags, 2, 64, flags)) {
            return br.bgid() >= 0;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static boolean tryBufferRingStatus(IoUring ring) {
        try (BufferRing br = BufferRing.register(ring, 0x7F0, 2, 64, 0)) {
            return br.kernelHead() == 0;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static boolean tryNapi(IoUring ring) {
        try {
            ring.registerNapi(0, false);
            ring.unregisterNapi();
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /**
     * Whether the kernel has a feature.
     *
     * @param feature the feature
     * @return whether it is available
     */
    public boolean supports(Feature feature) {
        return supported.getOrDefault(feature, false);
    }

    /**
     * Whether the kernel implements an opcode.
     *
     * @param op an {@code IORING_OP_*} opcode
     * @return whether {@code IORING_REGISTER_PROBE} marked it supported
     */
    public boolean opSupported(int op) {
        return op >= 0 && op < ops.length && ops[op];
    }

    /**
     * Why a feature is unavailable, naming it and the kernel that brings it.
     *
     * @param feature the feature
     * @return the reason, or {@code null} when the feature is available
     */
    public String whyMissing(Feature feature) {
        if (supports(feature)) {
            return null;
        }
        if (unavailable != null) {
            return feature.description() + " is unavailable: " + unavailable.message();
        }
        if (hidden.contains(feature)) {
            return feature.description() + " is hidden by -D" + HIDE_PROPERTY + " (it needs Linux " + feature.kernel()
                    + "; this kernel, " + kernelRelease + ", has it)";
        }
        return feature.description() + " needs Linux " + feature.kernel() + " or newer; this kernel is "
                + kernelRelease + " (detected by " + feature.detectedBy() + ")";
    }

    /** {@return why io_uring itself is unavailable, or {@code null} when it is available} */
    public UnavailabilityCause unavailabilityCause() {
        return unavailable;
    }

    /** {@return the kernel release, as {@code uname -r} prints it} */
    public String kernelRelease() {
        return kernelRelease;
    }

    /** {@return the {@code IORING_FEAT_*} bits of a default ring} */
    public int features() {
        return features;
    }

    /** {@return the highest opcode the kernel knows, or -1 when io_uring is unavailable} */
    public int lastOp() {
        return lastOp;
    }

    /** {@return every feature with its availability, in kernel order; a copy} */
    public Map<Feature, Boolean> all() {
        return new EnumMap<>(supported);
    }

    private static String kernelReleaseOf() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version", "unknown");
        }
    }

    /** {@return a table of every feature: its kernel, whether it is available, how that was decided and what it is} */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append("kernel ").append(kernelRelease).append(", io_uring ")
                .append(unavailable == null ? "available" : "UNAVAILABLE: " + unavailable.message()).append('\n');
        if (unavailable == null) {
            b.append("features: ").append(FlagNames.features(features)).append('\n');
            b.append("last opcode: ").append(lastOp).append('\n');
        }
        b.append(String.format("%-20s %-7s %-9s %s%n", "FEATURE", "KERNEL", "AVAILABLE", "DETECTED BY / DESCRIPTION"));
        for (Feature f : Feature.values()) {
            b.append(String.format("%-20s %-7s %-9s %s: %s%n", f.name(), f.kernel(),
                    supports(f) ? "yes" : hidden.contains(f) ? "hidden" : "no",
                    f.detectedBy(), f.description()));
        }
        return b.toString();
    }
}
