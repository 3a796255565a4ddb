package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_BUFFERS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_FILES2;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_FILES_UPDATE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_FILE_ALLOC_RANGE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_NAPI;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_PBUF_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_PBUF_STATUS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_REGISTER_RING_FDS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_RSRC_REGISTER_SPARSE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_UNREGISTER_BUFFERS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_UNREGISTER_FILES;
import static dev.uring4j.ring.uapi.IoUringH.IORING_UNREGISTER_NAPI;
import static dev.uring4j.ring.uapi.IoUringH.IORING_UNREGISTER_PBUF_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_UNREGISTER_RING_FDS;
import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_INC;
import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_MMAP;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.uring4j.ring.sys.Iovec;
import dev.uring4j.ring.uapi.IoUringBufReg;
import dev.uring4j.ring.uapi.IoUringBufStatus;
import dev.uring4j.ring.uapi.IoUringFileIndexRange;
import dev.uring4j.ring.uapi.IoUringNapi;
import dev.uring4j.ring.uapi.IoUringRsrcRegister;
import dev.uring4j.ring.uapi.IoUringRsrcUpdate;

/**
 * The {@code io_uring_register(2)} calls, as liburing's {@code register.c} makes them: each fills
 * its opcode's argument in a confined arena, makes the call through {@link IoUring#register}, and
 * turns a failure into an {@link ErrnoException} that names the opcode and, where the errno has a
 * usual cause, what to do. The public homes are {@link IoUring}'s {@code register*} methods and
 * {@link BufferRing}. None of this is on the hot path: registrations happen at setup and when a
 * table changes.
 */
final class Register {
    private Register() {}

    /** Throws an {@link ErrnoException} naming the register opcode when {@code r} is an error. */
    static int check(int r, String opcode) throws ErrnoException {
        if (r < 0) {
            throw new ErrnoException("io_uring_register(" + opcode + ")", -r, switch (-r) {
                case Errno.ENOMEM -> IoUringBuilder.memlockHint();
                case Errno.EINVAL -> "this kernel may not support " + opcode + " (see './uring4j probe')";
                case Errno.EBUSY -> "this ring has one registered already: unregister it first, or update it in place";
                case Errno.EBADF -> "a file descriptor passed to " + opcode + " is not open";
                default -> null;
            });
        }
        return r;
    }

    /** {@code io_uring_register_ring_fd}: registers the ring's own fd; returns its registered index. */
    static int ringFd(IoUring ring) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment update = a.allocate(IoUringRsrcUpdate.LAYOUT);
            update.set(JAVA_INT, IoUringRsrcUpdate.OFFSET_offset, -1);
            update.set(JAVA_LONG, IoUringRsrcUpdate.OFFSET_data, ring.fd());
            check(ring.register(IORING_REGISTER_RING_FDS, update, 1), "IORING_REGISTER_RING_FDS");
            return update.get(JAVA_INT, IoUringRsrcUpdate.OFFSET_offset);
        }
    }

    /** {@code io_uring_unregister_ring_fd}: drops the registration at {@code index}. */
    static void unregisterRingFd(IoUring ring, int index) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment update = a.allocate(IoUringRsrcUpdate.LAYOUT);
            update.set(JAVA_INT, IoUringRsrcUpdate.OFFSET_offset, index);
            check(ring.register(IORING_UNREGISTER_RING_FDS, update, 1), "IORING_UNREGISTER_RING_FDS");
        }
    }

    /** {@code io_uring_register_files_sparse}: a table of {@code nr} empty slots. */
    static void filesSparse(IoUring ring, int nr) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(IoUringRsrcRegister.LAYOUT);
            reg.set(JAVA_INT, IoUringRsrcRegister.OFFSET_nr, nr);
            reg.set(JAVA_INT, IoUringRsrcRegister.OFFSET_flags, IORING_RSRC_REGISTER_SPARSE);
            check(ring.register(IORING_REGISTER_FILES2, reg, (int) reg.byteSize()), "IORING_REGISTER_FILES2");
        }
    }

    /** {@code io_uring_register_file_alloc_range}: where {@code IORING_FILE_INDEX_ALLOC} picks slots. */
    static void fileAllocRange(IoUring ring, int offset, int len) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment range = a.allocate(IoUringFileIndexRange.LAYOUT);
            range.set(JAVA_INT, IoUringFileIndexRange.OFFSET_off, offset);
            range.set(JAVA_INT, IoUringFileIndexRange.OFFSET_len, len);
            check(ring.register(IORING_REGISTER_FILE_ALLOC_RANGE, range, 0), "IORING_REGISTER_FILE_ALLOC_RANGE");
        }
    }

    /** {@code io_uring_register_files_update}: {@code fds} into the slots from {@code offset}; returns how many. */
    static int filesUpdate(IoUring ring, int offset, int... fds) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment array = a.allocateFrom(JAVA_INT, fds);
            MemorySegment update = a.allocate(IoUringRsrcUpdate.LAYOUT);
            update.set(JAVA_INT, IoUringRsrcUpdate.OFFSET_offset, offset);
            update.set(JAVA_LONG, IoUringRsrcUpdate.OFFSET_data, array.address());
            return check(ring.register(IORING_REGISTER_FILES_UPDATE, update, fds.length),
                    "IORING_REGISTER_FILES_UPDATE");
        }
    }

    /** {@code io_uring_unregister_files}. */
    static void unregisterFiles(IoUring ring) throws ErrnoException {
        check(ring.register(IORING_UNREGISTER_FILES, MemorySegment.NULL, 0), "IORING_UNREGISTER_FILES");
    }

    /** {@code io_uring_register_buffers}: {@code buffers} as fixed buffers {@code 0..n-1}. */
    static void buffers(IoUring ring, MemorySegment... buffers) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iovecs = a.allocate(Iovec.LAYOUT, Math.max(buffers.length, 1));
            for (int i = 0; i < buffers.length; i++) {
                if (!buffers[i].isNative()) {
                    throw new IllegalArgumentException("buffer " + i + " is on the Java heap; the kernel pins only "
                            + "native memory (allocate it from an Arena)");
                }
                long iovec = i * Iovec.LAYOUT.byteSize();
                iovecs.set(JAVA_LONG, iovec + Iovec.OFFSET_iov_base, buffers[i].address());
                iovecs.set(JAVA_LONG, iovec + Iovec.OFFSET_iov_len, buffers[i].byteSize());
            }
            check(ring.register(IORING_REGISTER_BUFFERS, iovecs, buffers.length), "IORING_REGISTER_BUFFERS");
        }
    }

    /** {@code io_uring_unregister_buffers}. */
    static void unregisterBuffers(IoUring ring) throws ErrnoException {
        check(ring.register(IORING_UNREGISTER_BUFFERS, MemorySegment.NULL, 0), "IORING_UNREGISTER_BUFFERS");
    }

    /**
     * {@code io_uring_register_buf_ring}: group {@code bgid} of {@code entries} buffers, whose ring
     * is at {@code ringAddr}, or 0 for the kernel to allocate it ({@code IOU_PBUF_RING_MMAP}).
     */
    static void bufRing(IoUring ring, long ringAddr, int entries, int bgid, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(IoUringBufReg.LAYOUT);
            reg.set(JAVA_LONG, IoUringBufReg.OFFSET_ring_addr, ringAddr);
            reg.set(JAVA_INT, IoUringBufReg.OFFSET_ring_entries, entries);
            reg.set(JAVA_SHORT, IoUringBufReg.OFFSET_bgid, (short) bgid);
            reg.set(JAVA_SHORT, IoUringBufReg.OFFSET_flags, (short) flags);
            int r = ring.register(IORING_REGISTER_PBUF_RING, reg, 1);
            if (r == -Errno.EEXIST) {
                throw new ErrnoException("io_uring_register(IORING_REGISTER_PBUF_RING, bgid=" + bgid + ")", r,
                        "buffer group " + bgid + " is already registered on this ring");
            }
            check(r, "IORING_REGISTER_PBUF_RING" + bufRingFlagNames(flags));
        }
    }

    private static String bufRingFlagNames(int flags) {
        StringBuilder b = new StringBuilder();
        if ((flags & IOU_PBUF_RING_MMAP) != 0) {
            b.append(" with IOU_PBUF_RING_MMAP");
        }
        if ((flags & IOU_PBUF_RING_INC) != 0) {
            b.append(b.isEmpty() ? " with " : " and ").append("IOU_PBUF_RING_INC");
        }
        return b.toString();
    }

    /**
     * {@code io_uring_unregister_buf_ring}: returns the kernel's result unchecked, since it runs
     * while closing or while cleaning up after a failure that is already being reported.
     */
    static int unregisterBufRing(IoUring ring, int bgid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(IoUringBufReg.LAYOUT);
            reg.set(JAVA_SHORT, IoUringBufReg.OFFSET_bgid, (short) bgid);
            return ring.register(IORING_UNREGISTER_PBUF_RING, reg, 1);
        }
    }

    /** {@code io_uring_buf_ring_head}: the kernel's head in group {@code bgid}'s ring. */
    static int bufRingHead(IoUring ring, int bgid) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(IoUringBufStatus.LAYOUT);
            status.set(JAVA_INT, IoUringBufStatus.OFFSET_buf_group, bgid);
            check(ring.register(IORING_REGISTER_PBUF_STATUS, status, 1), "IORING_REGISTER_PBUF_STATUS");
            return status.get(JAVA_INT, IoUringBufStatus.OFFSET_head);
        }
    }

    /**
     * {@code io_uring_register_napi}: busy-polls for {@code busyPollUsec} in each wait, tracking the
     * NAPI ids of the sockets the ring uses; returns the settings in force before.
     */
    static NapiSettings napi(IoUring ring, int busyPollUsec, boolean preferBusyPoll) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment napi = a.allocate(IoUringNapi.LAYOUT);
            napi.set(JAVA_INT, IoUringNapi.OFFSET_busy_poll_to, busyPollUsec);
            napi.set(JAVA_BYTE, IoUringNapi.OFFSET_prefer_busy_poll, (byte) (preferBusyPoll ? 1 : 0));
            // opcode and op_param stay 0, IO_URING_NAPI_REGISTER_OP with dynamic tracking: what a
            // 6.9-6.12 kernel, which reads them as padding that must be zero, does.
            checkNapi(ring.register(IORING_REGISTER_NAPI, napi, 1), "IORING_REGISTER_NAPI");
            return napiSettings(napi);
        }
    }

    /** {@code io_uring_unregister_napi}: busy polling off; returns the settings in force before. */
    static NapiSettings unregisterNapi(IoUring ring) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment napi = a.allocate(IoUringNapi.LAYOUT);
            checkNapi(ring.register(IORING_UNREGISTER_NAPI, napi, 1), "IORING_UNREGISTER_NAPI");
            return napiSettings(napi);
        }
    }

    private static NapiSettings napiSettings(MemorySegment napi) {
        return new NapiSettings(napi.get(JAVA_INT, IoUringNapi.OFFSET_busy_poll_to),
                napi.get(JAVA_BYTE, IoUringNapi.OFFSET_prefer_busy_poll) != 0);
    }

    /** As {@link #check}, saying which kernels have NAPI busy polling, and which builds. */
    private static void checkNapi(int r, String opcode) throws ErrnoException {
        Probe.Feature napi = Probe.Feature.NAPI;
        switch (-r) {
            case Errno.EINVAL -> throw new ErrnoException("io_uring_register(" + opcode + ")", -r, napi.description()
                    + " needs Linux " + napi.kernel() + " or newer, and a ring set up without IORING_SETUP_IOPOLL");
            case Errno.EOPNOTSUPP -> throw new ErrnoException("io_uring_register(" + opcode + ")", -r,
                    "this kernel was built without CONFIG_NET_RX_BUSY_POLL, which " + napi.description() + " needs");
            default -> check(r, opcode);
        }
    }
}
