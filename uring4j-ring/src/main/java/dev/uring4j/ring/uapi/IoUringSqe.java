package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_sqe}: one submission queue entry, 64 bytes (128 with {@code IORING_SETUP_SQE128}).
 *
 * <p>Unions are modelled as named union layouts ({@code u_off}, {@code u_addr}, {@code u_op_flags},
 * {@code u_buf}, {@code u_fd_in}, {@code u_addr3}); each member name of the header has an
 * {@code OFFSET_} constant, aliases included ({@code OFFSET_addr2 == OFFSET_off}).
 */
public final class IoUringSqe {
    private IoUringSqe() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),
            JAVA_BYTE.withName("flags"),
            JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"),
            MemoryLayout.unionLayout(
                    JAVA_LONG.withName("off"),
                    JAVA_LONG.withName("addr2"),
                    MemoryLayout.structLayout(JAVA_INT.withName("cmd_op"), JAVA_INT.withName("__pad1")).withName("cmd")
            ).withName("u_off"),
            MemoryLayout.unionLayout(
                    JAVA_LONG.withName("addr"),
                    JAVA_LONG.withName("splice_off_in"),
                    MemoryLayout.structLayout(JAVA_INT.withName("level"), JAVA_INT.withName("optname")).withName("sockopt")
            ).withName("u_addr"),
            JAVA_INT.withName("len"),
            MemoryLayout.unionLayout(
                    JAVA_INT.withName("rw_flags"),
                    JAVA_INT.withName("poll32_events"),
                    JAVA_INT.withName("msg_flags"),
                    JAVA_INT.withName("timeout_flags"),
                    JAVA_INT.withName("accept_flags"),
                    JAVA_INT.withName("cancel_flags"),
                    JAVA_INT.withName("msg_ring_flags"),
                    JAVA_INT.withName("uring_cmd_flags"),
                    JAVA_INT.withName("install_fd_flags"),
                    JAVA_INT.withName("nop_flags")
            ).withName("u_op_flags"),
            JAVA_LONG.withName("user_data"),
            MemoryLayout.unionLayout(JAVA_SHORT.withName("buf_index"), JAVA_SHORT.withName("buf_group")).withName("u_buf"),
            JAVA_SHORT.withName("personality"),
            MemoryLayout.unionLayout(
                    JAVA_INT.withName("splice_fd_in"),
                    JAVA_INT.withName("file_index"),
                    JAVA_INT.withName("optlen"),
                    MemoryLayout.structLayout(JAVA_SHORT.withName("addr_len"), JAVA_SHORT.withName("__pad3")).withName("addr")
            ).withName("u_fd_in"),
            MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(JAVA_LONG.withName("addr3"), JAVA_LONG.withName("__pad2")).withName("addr3"),
                    JAVA_LONG.withName("optval")
            ).withName("u_addr3")
    ).withName("io_uring_sqe");

    public static final long OFFSET_opcode = Layouts.offset(LAYOUT, "opcode");
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    public static final long OFFSET_ioprio = Layouts.offset(LAYOUT, "ioprio");
    public static final long OFFSET_fd = Layouts.offset(LAYOUT, "fd");
    public static final long OFFSET_off = Layouts.offset(LAYOUT, "u_off", "off");
    public static final long OFFSET_addr2 = Layouts.offset(LAYOUT, "u_off", "addr2");
    public static final long OFFSET_cmd_op = Layouts.offset(LAYOUT, "u_off", "cmd", "cmd_op");
    public static final long OFFSET_addr = Layouts.offset(LAYOUT, "u_addr", "addr");
    public static final long OFFSET_splice_off_in = Layouts.offset(LAYOUT, "u_addr", "splice_off_in");
    public static final long OFFSET_level = Layouts.offset(LAYOUT, "u_addr", "sockopt", "level");
    public static final long OFFSET_optname = Layouts.offset(LAYOUT, "u_addr", "sockopt", "optname");
    public static final long OFFSET_len = Layouts.offset(LAYOUT, "len");
    public static final long OFFSET_rw_flags = Layouts.offset(LAYOUT, "u_op_flags", "rw_flags");
    public static final long OFFSET_poll32_events = Layouts.offset(LAYOUT, "u_op_flags", "poll32_events");
    public static final long OFFSET_msg_flags = Layouts.offset(LAYOUT, "u_op_flags", "msg_flags");
    public static final long OFFSET_timeout_flags = Layouts.offset(LAYOUT, "u_op_flags", "timeout_flags");
    public static final long OFFSET_accept_flags = Layouts.offset(LAYOUT, "u_op_flags", "accept_flags");
    public static final long OFFSET_cancel_flags = Layouts.offset(LAYOUT, "u_op_flags", "cancel_flags");
    public static final long OFFSET_msg_ring_flags = Layouts.offset(LAYOUT, "u_op_flags", "msg_ring_flags");
    public static final long OFFSET_uring_cmd_flags = Layouts.offset(LAYOUT, "u_op_flags", "uring_cmd_flags");
    public static final long OFFSET_install_fd_flags = Layouts.offset(LAYOUT, "u_op_flags", "install_fd_flags");
    public static final long OFFSET_nop_flags = Layouts.offset(LAYOUT, "u_op_flags", "nop_flags");
    public static final long OFFSET_user_data = Layouts.offset(LAYOUT, "user_data");
    public static final long OFFSET_buf_index = Layouts.offset(LAYOUT, "u_buf", "buf_index");
    public static final long OFFSET_buf_group = Layouts.offset(LAYOUT, "u_buf", "buf_group");
    public static final long OFFSET_personality = Layouts.offset(LAYOUT, "personality");
    public static final long OFFSET_splice_fd_in = Layouts.offset(LAYOUT, "u_fd_in", "splice_fd_in");
    public static final long OFFSET_file_index = Layouts.offset(LAYOUT, "u_fd_in", "file_index");
    public static final long OFFSET_optlen = Layouts.offset(LAYOUT, "u_fd_in", "optlen");
    public static final long OFFSET_addr_len = Layouts.offset(LAYOUT, "u_fd_in", "addr", "addr_len");
    public static final long OFFSET_addr3 = Layouts.offset(LAYOUT, "u_addr3", "addr3", "addr3");
    public static final long OFFSET_optval = Layouts.offset(LAYOUT, "u_addr3", "optval");
    public static final long OFFSET___pad2 = Layouts.offset(LAYOUT, "u_addr3", "addr3", "__pad2");
    /** Start of the 80-byte command area of a 128-byte SQE (and the 16 bytes at 48 of a 64-byte one). */
    public static final long OFFSET_cmd = OFFSET_addr3;
}
