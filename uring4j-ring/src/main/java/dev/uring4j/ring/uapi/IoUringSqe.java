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

    /** {@code struct io_uring_sqe}: fields named as in the header, unions as the class comment says. */
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

    /** Byte offset of {@code opcode}. */
    public static final long OFFSET_opcode = Layouts.offset(LAYOUT, "opcode");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    /** Byte offset of {@code ioprio}. */
    public static final long OFFSET_ioprio = Layouts.offset(LAYOUT, "ioprio");
    /** Byte offset of {@code fd}. */
    public static final long OFFSET_fd = Layouts.offset(LAYOUT, "fd");
    /** Byte offset of {@code off}. */
    public static final long OFFSET_off = Layouts.offset(LAYOUT, "u_off", "off");
    /** Byte offset of {@code addr2}. */
    public static final long OFFSET_addr2 = Layouts.offset(LAYOUT, "u_off", "addr2");
    /** Byte offset of {@code cmd_op}. */
    public static final long OFFSET_cmd_op = Layouts.offset(LAYOUT, "u_off", "cmd", "cmd_op");
    /** Byte offset of {@code addr}. */
    public static final long OFFSET_addr = Layouts.offset(LAYOUT, "u_addr", "addr");
    /** Byte offset of {@code splice_off_in}. */
    public static final long OFFSET_splice_off_in = Layouts.offset(LAYOUT, "u_addr", "splice_off_in");
    /** Byte offset of {@code level}. */
    public static final long OFFSET_level = Layouts.offset(LAYOUT, "u_addr", "sockopt", "level");
    /** Byte offset of {@code optname}. */
    public static final long OFFSET_optname = Layouts.offset(LAYOUT, "u_addr", "sockopt", "optname");
    /** Byte offset of {@code len}. */
    public static final long OFFSET_len = Layouts.offset(LAYOUT, "len");
    /** Byte offset of {@code rw_flags}. */
    public static final long OFFSET_rw_flags = Layouts.offset(LAYOUT, "u_op_flags", "rw_flags");
    /** Byte offset of {@code poll32_events}. */
    public static final long OFFSET_poll32_events = Layouts.offset(LAYOUT, "u_op_flags", "poll32_events");
    /** Byte offset of {@code msg_flags}. */
    public static final long OFFSET_msg_flags = Layouts.offset(LAYOUT, "u_op_flags", "msg_flags");
    /** Byte offset of {@code timeout_flags}. */
    public static final long OFFSET_timeout_flags = Layouts.offset(LAYOUT, "u_op_flags", "timeout_flags");
    /** Byte offset of {@code accept_flags}. */
    public static final long OFFSET_accept_flags = Layouts.offset(LAYOUT, "u_op_flags", "accept_flags");
    /** Byte offset of {@code cancel_flags}. */
    public static final long OFFSET_cancel_flags = Layouts.offset(LAYOUT, "u_op_flags", "cancel_flags");
    /** Byte offset of {@code msg_ring_flags}. */
    public static final long OFFSET_msg_ring_flags = Layouts.offset(LAYOUT, "u_op_flags", "msg_ring_flags");
    /** Byte offset of {@code uring_cmd_flags}. */
    public static final long OFFSET_uring_cmd_flags = Layouts.offset(LAYOUT, "u_op_flags", "uring_cmd_flags");
    /** Byte offset of {@code install_fd_flags}. */
    public static final long OFFSET_install_fd_flags = Layouts.offset(LAYOUT, "u_op_flags", "install_fd_flags");
    /** Byte offset of {@code nop_flags}. */
    public static final long OFFSET_nop_flags = Layouts.offset(LAYOUT, "u_op_flags", "nop_flags");
    /** Byte offset of {@code user_data}. */
    public static final long OFFSET_user_data = Layouts.offset(LAYOUT, "user_data");
    /** Byte offset of {@code buf_index}. */
    public static final long OFFSET_buf_index = Layouts.offset(LAYOUT, "u_buf", "buf_index");
    /** Byte offset of {@code buf_group}. */
    public static final long OFFSET_buf_group = Layouts.offset(LAYOUT, "u_buf", "buf_group");
    /** Byte offset of {@code personality}. */
    public static final long OFFSET_personality = Layouts.offset(LAYOUT, "personality");
    /** Byte offset of {@code splice_fd_in}. */
    public static final long OFFSET_splice_fd_in = Layouts.offset(LAYOUT, "u_fd_in", "splice_fd_in");
    /** Byte offset of {@code file_index}. */
    public static final long OFFSET_file_index = Layouts.offset(LAYOUT, "u_fd_in", "file_index");
    /** Byte offset of {@code optlen}. */
    public static final long OFFSET_optlen = Layouts.offset(LAYOUT, "u_fd_in", "optlen");
    /** Byte offset of {@code addr_len}. */
    public static final long OFFSET_addr_len = Layouts.offset(LAYOUT, "u_fd_in", "addr", "addr_len");
    /** Byte offset of {@code addr3}. */
    public static final long OFFSET_addr3 = Layouts.offset(LAYOUT, "u_addr3", "addr3", "addr3");
    /** Byte offset of {@code optval}. */
    public static final long OFFSET_optval = Layouts.offset(LAYOUT, "u_addr3", "optval");
    /** Byte offset of {@code __pad2}. */
    public static final long OFFSET___pad2 = Layouts.offset(LAYOUT, "u_addr3", "addr3", "__pad2");
    /** Start of the 80-byte command area of a 128-byte SQE (and the 16 bytes at 48 of a 64-byte one). */
    public static final long OFFSET_cmd = OFFSET_addr3;
}
