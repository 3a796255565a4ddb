package dev.uring4j.ring.uapi;

import java.lang.foreign.StructLayout;

import static dev.uring4j.ring.uapi.IoUringH.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Pins every struct size and field offset to {@code include/uapi/linux/io_uring.h} (tokio's
 * {@code test_entry_sizes}): the values below are typed from the header, not derived from the
 * layouts under test, so a misplaced field or a missing padding fails here instead of corrupting
 * a ring at run time.
 */
class UapiLayoutTest {

    private static void size(long expected, StructLayout layout) {
        assertEquals(expected, layout.byteSize(), () -> "sizeof(struct " + layout.name().orElseThrow() + ")");
    }

    @Test
    void ioUringSqe() {
        size(64, IoUringSqe.LAYOUT);
        assertEquals(0, IoUringSqe.OFFSET_opcode);
        assertEquals(1, IoUringSqe.OFFSET_flags);
        assertEquals(2, IoUringSqe.OFFSET_ioprio);
        assertEquals(4, IoUringSqe.OFFSET_fd);
        assertEquals(8, IoUringSqe.OFFSET_off);
        assertEquals(8, IoUringSqe.OFFSET_addr2);
        assertEquals(8, IoUringSqe.OFFSET_cmd_op);
        assertEquals(16, IoUringSqe.OFFSET_addr);
        assertEquals(16, IoUringSqe.OFFSET_splice_off_in);
        assertEquals(16, IoUringSqe.OFFSET_level);
        assertEquals(20, IoUringSqe.OFFSET_optname);
        assertEquals(24, IoUringSqe.OFFSET_len);
        for (long opFlags : new long[] {IoUringSqe.OFFSET_rw_flags, IoUringSqe.OFFSET_poll32_events,
                IoUringSqe.OFFSET_msg_flags, IoUringSqe.OFFSET_timeout_flags, IoUringSqe.OFFSET_accept_flags,
                IoUringSqe.OFFSET_cancel_flags, IoUringSqe.OFFSET_msg_ring_flags, IoUringSqe.OFFSET_uring_cmd_flags,
                IoUringSqe.OFFSET_install_fd_flags, IoUringSqe.OFFSET_nop_flags}) {
            assertEquals(28, opFlags, "the op-flags union");
        }
        assertEquals(32, IoUringSqe.OFFSET_user_data);
        assertEquals(40, IoUringSqe.OFFSET_buf_index);
        assertEquals(40, IoUringSqe.OFFSET_buf_group);
        assertEquals(42, IoUringSqe.OFFSET_personality);
        assertEquals(44, IoUringSqe.OFFSET_splice_fd_in);
        assertEquals(44, IoUringSqe.OFFSET_file_index);
        assertEquals(44, IoUringSqe.OFFSET_optlen);
        assertEquals(44, IoUringSqe.OFFSET_addr_len);
        assertEquals(48, IoUringSqe.OFFSET_addr3);
        assertEquals(48, IoUringSqe.OFFSET_optval);
        assertEquals(48, IoUringSqe.OFFSET_cmd);
        assertEquals(56, IoUringSqe.OFFSET___pad2);
    }

    @Test
    void ioUringCqe() {
        size(16, IoUringCqe.LAYOUT);
        assertEquals(0, IoUringCqe.OFFSET_user_data);
        assertEquals(8, IoUringCqe.OFFSET_res);
        assertEquals(12, IoUringCqe.OFFSET_flags);
        assertEquals(16, IoUringCqe.OFFSET_big_cqe);
        assertEquals(32, IoUringCqe.SIZE_CQE32);
    }

    @Test
    void ringOffsetsAndParams() {
        size(40, IoSqringOffsets.LAYOUT);
        assertEquals(0, IoSqringOffsets.OFFSET_head);
        assertEquals(4, IoSqringOffsets.OFFSET_tail);
        assertEquals(8, IoSqringOffsets.OFFSET_ring_mask);
        assertEquals(12, IoSqringOffsets.OFFSET_ring_entries);
        assertEquals(16, IoSqringOffsets.OFFSET_flags);
        assertEquals(20, IoSqringOffsets.OFFSET_dropped);
        assertEquals(24, IoSqringOffsets.OFFSET_array);
        assertEquals(32, IoSqringOffsets.OFFSET_user_addr);

        size(40, IoCqringOffsets.LAYOUT);
        assertEquals(0, IoCqringOffsets.OFFSET_head);
        assertEquals(4, IoCqringOffsets.OFFSET_tail);
        assertEquals(8, IoCqringOffsets.OFFSET_ring_mask);
        assertEquals(12, IoCqringOffsets.OFFSET_ring_entries);
        assertEquals(16, IoCqringOffsets.OFFSET_overflow);
        assertEquals(20, IoCqringOffsets.OFFSET_cqes);
        assertEquals(24, IoCqringOffsets.OFFSET_flags);
        assertEquals(32, IoCqringOffsets.OFFSET_user_addr);

        size(120, IoUringParams.LAYOUT);
        assertEquals(0, IoUringParams.OFFSET_sq_entries);
        assertEquals(4, IoUringParams.OFFSET_cq_entries);
        assertEquals(8, IoUringParams.OFFSET_flags);
        assertEquals(12, IoUringParams.OFFSET_sq_thread_cpu);
        assertEquals(16, IoUringParams.OFFSET_sq_thread_idle);
        assertEquals(20, IoUringParams.OFFSET_features);
        assertEquals(24, IoUringParams.OFFSET_wq_fd);
        assertEquals(40, IoUringParams.OFFSET_sq_off);
        assertEquals(80, IoUringParams.OFFSET_cq_off);
    }

    @Test
    void providedBufferRings() {
        size(16, IoUringBuf.LAYOUT);
        assertEquals(0, IoUringBuf.OFFSET_addr);
        assertEquals(8, IoUringBuf.OFFSET_len);
        assertEquals(12, IoUringBuf.OFFSET_bid);
        assertEquals(14, IoUringBuf.OFFSET_resv);

        size(16, IoUringBufRing.LAYOUT);
        assertEquals(14, IoUringBufRing.OFFSET_tail, "the tail overlays bufs[0].resv");
        assertEquals(0, IoUringBufRing.OFFSET_bufs);

        size(40, IoUringBufReg.LAYOUT);
        assertEquals(0, IoUringBufReg.OFFSET_ring_addr);
        assertEquals(8, IoUringBufReg.OFFSET_ring_entries);
        assertEquals(12, IoUringBufReg.OFFSET_bgid);
        assertEquals(14, IoUringBufReg.OFFSET_flags);

        size(40, IoUringBufStatus.LAYOUT);
        assertEquals(0, IoUringBufStatus.OFFSET_buf_group);
        assertEquals(4, IoUringBufStatus.OFFSET_head);
    }

    @Test
    void napiArgument() {
        size(16, IoUringNapi.LAYOUT);
        assertEquals(0, IoUringNapi.OFFSET_busy_poll_to);
        assertEquals(4, IoUringNapi.OFFSET_prefer_busy_poll);
        assertEquals(5, IoUringNapi.OFFSET_opcode);
        assertEquals(8, IoUringNapi.OFFSET_op_param);
    }

    @Test
    void waitArgumentsAndRecvmsgHeader() {
        size(16, IoUringRecvmsgOut.LAYOUT);
        assertEquals(0, IoUringRecvmsgOut.OFFSET_namelen);
        assertEquals(4, IoUringRecvmsgOut.OFFSET_controllen);
        assertEquals(8, IoUringRecvmsgOut.OFFSET_payloadlen);
        assertEquals(12, IoUringRecvmsgOut.OFFSET_flags);

        size(24, IoUringGeteventsArg.LAYOUT);
        assertEquals(0, IoUringGeteventsArg.OFFSET_sigmask);
        assertEquals(8, IoUringGeteventsArg.OFFSET_sigmask_sz);
        assertEquals(12, IoUringGeteventsArg.OFFSET_min_wait_usec);
        assertEquals(16, IoUringGeteventsArg.OFFSET_ts);

        size(16, KernelTimespec.LAYOUT);
        assertEquals(0, KernelTimespec.OFFSET_tv_sec);
        assertEquals(8, KernelTimespec.OFFSET_tv_nsec);
    }

    @Test
    void probeAndResourceRegistration() {
        size(16, IoUringProbe.LAYOUT);
        assertEquals(0, IoUringProbe.OFFSET_last_op);
        assertEquals(1, IoUringProbe.OFFSET_ops_len);
        assertEquals(16, IoUringProbe.OFFSET_ops);
        size(8, IoUringProbeOp.LAYOUT);
        assertEquals(0, IoUringProbeOp.OFFSET_op);
        assertEquals(2, IoUringProbeOp.OFFSET_flags);

        size(32, IoUringRsrcRegister.LAYOUT);
        assertEquals(0, IoUringRsrcRegister.OFFSET_nr);
        assertEquals(4, IoUringRsrcRegister.OFFSET_flags);
        assertEquals(16, IoUringRsrcRegister.OFFSET_data);
        assertEquals(24, IoUringRsrcRegister.OFFSET_tags);

        size(16, IoUringRsrcUpdate.LAYOUT);
        assertEquals(0, IoUringRsrcUpdate.OFFSET_offset);
        assertEquals(8, IoUringRsrcUpdate.OFFSET_data);

        size(32, IoUringRsrcUpdate2.LAYOUT);
        assertEquals(0, IoUringRsrcUpdate2.OFFSET_offset);
        assertEquals(8, IoUringRsrcUpdate2.OFFSET_data);
        assertEquals(16, IoUringRsrcUpdate2.OFFSET_tags);
        assertEquals(24, IoUringRsrcUpdate2.OFFSET_nr);

        size(16, IoUringFileIndexRange.LAYOUT);
        assertEquals(0, IoUringFileIndexRange.OFFSET_off);
        assertEquals(4, IoUringFileIndexRange.OFFSET_len);
    }

    /** Spot checks against the header's numbers, where an off-by-one shifts a whole enum. */
    @Test
    void constants() {
        assertEquals(0xFFFFFFFF, IORING_FILE_INDEX_ALLOC);
        assertEquals(40, IORING_OP_MSG_RING);
        assertEquals(45, IORING_OP_SOCKET);
        assertEquals(47, IORING_OP_SEND_ZC);
        assertEquals(54, IORING_OP_FIXED_FD_INSTALL);
        assertEquals(56, IORING_OP_BIND);
        assertEquals(57, IORING_OP_LISTEN);
        assertEquals(62, IORING_OP_PIPE);
        assertEquals(63, IORING_OP_LAST);

        assertEquals(1 << 0, IORING_FEAT_SINGLE_MMAP);
        assertEquals(1 << 1, IORING_FEAT_NODROP);
        assertEquals(1 << 5, IORING_FEAT_FAST_POLL);
        assertEquals(1 << 8, IORING_FEAT_EXT_ARG);
        assertEquals(1 << 10, IORING_FEAT_RSRC_TAGS);
        assertEquals(1 << 13, IORING_FEAT_REG_REG_RING);
        assertEquals(1 << 14, IORING_FEAT_RECVSEND_BUNDLE);
        assertEquals(1 << 15, IORING_FEAT_MIN_TIMEOUT);

        assertEquals(1 << 1, IORING_SETUP_SQPOLL);
        assertEquals(1 << 3, IORING_SETUP_CQSIZE);
        assertEquals(1 << 8, IORING_SETUP_COOP_TASKRUN);
        assertEquals(1 << 9, IORING_SETUP_TASKRUN_FLAG);
        assertEquals(1 << 12, IORING_SETUP_SINGLE_ISSUER);
        assertEquals(1 << 13, IORING_SETUP_DEFER_TASKRUN);
        assertEquals(1 << 16, IORING_SETUP_NO_SQARRAY);

        assertEquals(1 << 1, IORING_CQE_F_MORE);
        assertEquals(1 << 2, IORING_CQE_F_SOCK_NONEMPTY);
        assertEquals(1 << 3, IORING_CQE_F_NOTIF);
        assertEquals(1 << 4, IORING_CQE_F_BUF_MORE);
        assertEquals(16, IORING_CQE_BUFFER_SHIFT);

        assertEquals(0x8000000L, IORING_OFF_CQ_RING);
        assertEquals(0x10000000L, IORING_OFF_SQES);
        assertEquals(0x80000000L, IORING_OFF_PBUF_RING);
        assertEquals(0xf8000000L, IORING_OFF_MMAP_MASK);

        assertEquals(1 << 2, IORING_ENTER_SQ_WAIT);
        assertEquals(1 << 3, IORING_ENTER_EXT_ARG);
        assertEquals(1 << 4, IORING_ENTER_REGISTERED_RING);

        assertEquals(13, IORING_REGISTER_FILES2);
        assertEquals(20, IORING_REGISTER_RING_FDS);
        assertEquals(22, IORING_REGISTER_PBUF_RING);
        assertEquals(25, IORING_REGISTER_FILE_ALLOC_RANGE);
        assertEquals(26, IORING_REGISTER_PBUF_STATUS);
        assertEquals(27, IORING_REGISTER_NAPI);
        assertEquals(28, IORING_UNREGISTER_NAPI);
        assertEquals(255, IO_URING_NAPI_TRACKING_INACTIVE);

        assertEquals(1 << 0, IORING_RECVSEND_POLL_FIRST);
        assertEquals(1 << 1, IORING_RECV_MULTISHOT);
        assertEquals(1 << 4, IORING_RECVSEND_BUNDLE);
        assertEquals(1 << 2, IORING_ASYNC_CANCEL_ANY);
        assertEquals(1, IORING_MSG_SEND_FD);
        assertEquals(2, IOU_PBUF_RING_INC);
    }

    @Test
    void statxAndOpenHow() {
        // include/uapi/linux/stat.h and include/uapi/linux/openat2.h
        size(16, Statx.TIMESTAMP);
        size(0x100, Statx.LAYOUT);
        assertEquals(0x00, Statx.OFFSET_stx_mask);
        assertEquals(0x1c, Statx.OFFSET_stx_mode);
        assertEquals(0x20, Statx.OFFSET_stx_ino);
        assertEquals(0x28, Statx.OFFSET_stx_size);
        assertEquals(0x70, Statx.OFFSET_stx_mtime_tv_sec);
        assertEquals(0x78, Statx.OFFSET_stx_mtime_tv_nsec);
        assertEquals(0x88, Statx.OFFSET_stx_dev_major);
        assertEquals(0x8c, Statx.OFFSET_stx_dev_minor);
        assertEquals(0x7ff, Statx.STATX_BASIC_STATS);
        size(24, OpenHow.LAYOUT);
        assertEquals(0, OpenHow.OFFSET_flags);
        assertEquals(8, OpenHow.OFFSET_mode);
        assertEquals(16, OpenHow.OFFSET_resolve);
        assertEquals(0x08, OpenHow.RESOLVE_BENEATH);
        assertEquals(0x02, OpenHow.RESOLVE_NO_MAGICLINKS);
        assertEquals(02000000, Fcntl.O_CLOEXEC);
        assertEquals(-100, Fcntl.AT_FDCWD);
        assertEquals(0x1000, Fcntl.AT_EMPTY_PATH);
        assertEquals(18, IORING_OP_OPENAT);
        assertEquals(21, IORING_OP_STATX);
        assertEquals(28, IORING_OP_OPENAT2);
        assertEquals(30, IORING_OP_SPLICE);
    }
}
