package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_FEAT_SINGLE_MMAP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OFF_CQ_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OFF_SQES;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OFF_SQ_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_ATTACH_WQ;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_CQE32;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_CQSIZE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQE128;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQ_AFF;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Syscalls;
import dev.uring4j.ring.uapi.IoCqringOffsets;
import dev.uring4j.ring.uapi.IoSqringOffsets;
import dev.uring4j.ring.uapi.IoUringCqe;
import dev.uring4j.ring.uapi.IoUringParams;
import dev.uring4j.ring.uapi.IoUringSqe;

/**
 * Settings for {@code io_uring_queue_init_params}, and the setup itself: {@code io_uring_setup(2)}
 * fills in a {@code struct io_uring_params}, then the SQ ring, the CQ ring and the SQE array are
 * mapped from the ring fd at the offsets it gives (liburing's {@code setup.c}).
 *
 * <p>Flags are passed as asked: where the kernel refuses one, {@link #build()} fails naming the
 * flags; {@link Probe} tells beforehand which are available. Obtained from
 * {@link IoUring#builder()}; one builder may build several rings.
 */
public final class IoUringBuilder {
    private int entries = 256;
    private int cqEntries;
    private int flags;
    private int sqThreadIdleMs;
    private int sqThreadCpu = -1;
    private int attachWqFd = -1;
    private boolean registerRingFd;

    IoUringBuilder() {}

    /**
     * The SQ size; the kernel rounds it up to a power of two.
     *
     * @param entries SQEs, 1..32768
     * @return this builder
     */
    public IoUringBuilder entries(int entries) {
        this.entries = entries;
        return this;
    }

    /**
     * The CQ size ({@code IORING_SETUP_CQSIZE}); multishot requests want it several times the SQ.
     *
     * @param cqEntries CQEs, at least {@link #entries}; 0 leaves the kernel's default of twice the SQ
     * @return this builder
     */
    public IoUringBuilder cqEntries(int cqEntries) {
        this.cqEntries = cqEntries;
        return this;
    }

    /**
     * Replaces the setup flags. {@code CQSIZE}, {@code SQ_AFF} and {@code ATTACH_WQ} need not be
     * given: {@link #build()} adds them from the other settings.
     *
     * @param flags {@code IORING_SETUP_*} flags
     * @return this builder
     */
    public IoUringBuilder flags(int flags) {
        this.flags = flags;
        return this;
    }

    /**
     * ORs more setup flags into those already set.
     *
     * @param flags {@code IORING_SETUP_*} flags
     * @return this builder
     */
    public IoUringBuilder addFlags(int flags) {
        this.flags |= flags;
        return this;
    }

    /**
     * With {@code IORING_SETUP_SQPOLL}: how long the poller thread spins without work before it
     * sleeps.
     *
     * @param ms milliseconds; 0 leaves the kernel's default
     * @return this builder
     */
    public IoUringBuilder sqThreadIdleMs(int ms) {
        this.sqThreadIdleMs = ms;
        return this;
    }

    /**
     * With {@code IORING_SETUP_SQPOLL}: the CPU to pin the poller thread to
     * ({@code IORING_SETUP_SQ_AFF}).
     *
     * @param cpu the CPU number
     * @return this builder
     */
    public IoUringBuilder sqThreadCpu(int cpu) {
        this.sqThreadCpu = cpu;
        return this;
    }

    /**
     * Shares the async worker pool of another ring ({@code IORING_SETUP_ATTACH_WQ}).
     *
     * @param ringFd the other ring's fd
     * @return this builder
     */
    public IoUringBuilder attachWq(int ringFd) {
        this.attachWqFd = ringFd;
        return this;
    }

    /**
     * Registers the ring fd after setup ({@code io_uring_register_ring_fd}) so that enters skip
     * the fd lookup. Registration belongs to the thread that calls {@link #build()}: enters from
     * other threads use the plain fd.
     *
     * @param registerRingFd whether to register
     * @return this builder
     */
    public IoUringBuilder registerRingFd(boolean registerRingFd) {
        this.registerRingFd = registerRingFd;
        return this;
    }

    /**
     * Sets up a ring with these settings and maps its queues.
     *
     * @return the new ring, owned by the caller
     * @throws ErrnoException when the kernel refuses the setup, a mapping or the ring fd
     *                        registration; the message names the settings and the likely cause
     */
    public IoUring build() throws ErrnoException {
        int f = flags;
        if (cqEntries > 0) {
            f |= IORING_SETUP_CQSIZE;
        }
        if (sqThreadCpu >= 0) {
            f |= IORING_SETUP_SQ_AFF;
        }
        if (attachWqFd >= 0) {
            f |= IORING_SETUP_ATTACH_WQ;
        }
        IoUring ring = create(entries, f, cqEntries, sqThreadIdleMs, Math.max(sqThreadCpu, 0),
                Math.max(attachWqFd, 0));
        if (registerRingFd) {
            try {
                ring.registerRingFd();
            } catch (ErrnoException e) {
                ring.close();
                throw e;
            }
        }
        return ring;
    }

    private static IoUring create(int entries, int flags, int cqEntries, int idleMs, int cpu, int wqFd)
            throws ErrnoException {
        Arena arena = Arena.ofShared();
        int fd = -1;
        try {
            MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
            params.set(JAVA_INT, IoUringParams.OFFSET_flags, flags);
            params.set(JAVA_INT, IoUringParams.OFFSET_cq_entries, cqEntries);
            params.set(JAVA_INT, IoUringParams.OFFSET_sq_thread_idle, idleMs);
            params.set(JAVA_INT, IoUringParams.OFFSET_sq_thread_cpu, cpu);
            params.set(JAVA_INT, IoUringParams.OFFSET_wq_fd, wqFd);
            fd = Syscalls.io_uring_setup(entries, params);
            if (fd < 0) {
                UnavailabilityCause cause = UnavailabilityCause.observe(-fd, flags);
                throw new ErrnoException("io_uring_setup(entries=" + entries
                        + ((flags & IORING_SETUP_CQSIZE) != 0 ? ", cqEntries=" + cqEntries : "")
                        + ", flags=" + FlagNames.setup(flags) + ")", -fd, cause.hint());
            }
            int features = params.get(JAVA_INT, IoUringParams.OFFSET_features);
            int sqN = params.get(JAVA_INT, IoUringParams.OFFSET_sq_entries);
            int cqN = params.get(JAVA_INT, IoUringParams.OFFSET_cq_entries);
            long sqOff = IoUringParams.OFFSET_sq_off;
            long cqOff = IoUringParams.OFFSET_cq_off;
            long cqeSize = (flags & IORING_SETUP_CQE32) != 0 ? IoUringCqe.SIZE_CQE32 : IoUringCqe.LAYOUT.byteSize();
            long sqRingSize = Integer.toUnsignedLong(params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_array))
                    + (long) sqN * Integer.BYTES;
            long cqRingSize = Integer.toUnsignedLong(params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_cqes))
                    + (long) cqN * cqeSize;
            boolean singleMmap = (features & IORING_FEAT_SINGLE_MMAP) != 0;
            if (singleMmap) {
                sqRingSize = cqRingSize = Math.max(sqRingSize, cqRingSize);
            }
            MemorySegment sqRing = map(arena, fd, sqRingSize, IORING_OFF_SQ_RING, "SQ ring");
            MemorySegment cqRing = singleMmap ? sqRing : map(arena, fd, cqRingSize, IORING_OFF_CQ_RING, "CQ ring");
            long sqeSize = (flags & IORING_SETUP_SQE128) != 0 ? 128 : IoUringSqe.LAYOUT.byteSize();
            MemorySegment sqes = map(arena, fd, sqeSize * sqN, IORING_OFF_SQES, "SQE array");
            return new IoUring(arena, fd, params, sqRing, cqRing, sqes);
        } catch (ErrnoException | RuntimeException | Error e) {
            arena.close();
            if (fd >= 0) {
                LibC.close(fd);
            }
            throw e;
        }
    }

    /**
     * Maps a region the kernel shares through the ring fd (a queue, or a kernel-allocated buffer
     * ring); the mapping is unmapped when {@code arena} closes.
     */
    static MemorySegment map(Arena arena, int fd, long size, long offset, String what) throws ErrnoException {
        long addr = LibC.mmap(0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd,
                offset);
        if (addr < 0) {
            String hint = -addr == Errno.ENOMEM ? memlockHint() : null;
            throw new ErrnoException("mmap(" + what + ", " + size + " bytes)", (int) -addr, hint);
        }
        return MemorySegment.ofAddress(addr).reinterpret(size, arena, s -> LibC.munmap(s.address(), s.byteSize()));
    }

    /** What to say when the kernel refuses memory that counts against RLIMIT_MEMLOCK. */
    static String memlockHint() {
        long[] memlock = LibC.rlimit(LibC.RLIMIT_MEMLOCK);
        long soft = memlock == null ? -2 : memlock[0];
        String limit = soft == -1 ? "unlimited" : soft == -2 ? "unknown" : soft + " bytes";
        return "the locked-memory limit RLIMIT_MEMLOCK is " + limit + "; raise it with 'ulimit -l', LimitMEMLOCK= in "
                + "a systemd unit or --ulimit memlock= in Docker, or ask for fewer or smaller buffers";
    }
}
