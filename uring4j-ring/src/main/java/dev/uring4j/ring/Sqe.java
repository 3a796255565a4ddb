package dev.uring4j.ring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ACCEPT_MULTISHOT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_FD;
import static dev.uring4j.ring.uapi.IoUringH.IORING_FILE_INDEX_ALLOC;
import static dev.uring4j.ring.uapi.IoUringH.IORING_MSG_DATA;
import static dev.uring4j.ring.uapi.IoUringH.IORING_MSG_RING_FLAGS_PASS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_MSG_SEND_FD;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_ACCEPT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_ASYNC_CANCEL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_BIND;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_CLOSE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_CONNECT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_FILES_UPDATE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_FIXED_FD_INSTALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_LINK_TIMEOUT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_LISTEN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_MSG_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_NOP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_OPENAT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_OPENAT2;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_POLL_ADD;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_POLL_REMOVE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_PROVIDE_BUFFERS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_READ;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_RECV;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_RECVMSG;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_REMOVE_BUFFERS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SEND;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SENDMSG;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SENDMSG_ZC;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SEND_ZC;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SHUTDOWN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SOCKET;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_SPLICE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_STATX;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_TIMEOUT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_TIMEOUT_REMOVE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OP_WRITE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_POLL_ADD_MULTI;
import static dev.uring4j.ring.uapi.IoUringH.IORING_RECVSEND_BUNDLE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_RECV_MULTISHOT;
import static dev.uring4j.ring.uapi.IoUringH.IOSQE_BUFFER_SELECT;
import static dev.uring4j.ring.uapi.IoUringH.IOSQE_FIXED_FILE;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.uring4j.ring.uapi.IoUringSqe;
import dev.uring4j.ring.uapi.OpenHow;

/**
 * A flyweight over one slot of the mapped SQE array, with the liburing prep helpers.
 *
 * <p>{@link IoUring#getSqe()} hands out the flyweight of the next free slot; there is one
 * flyweight per slot, made at setup, so preparing several SQEs at once (a request and its
 * linked timeout) never aliases and never allocates. As in liburing, every {@code prepX} starts
 * with {@link #prepRw}, which writes the whole 64-byte entry (opcode, fd, off, addr, len, and
 * zero for every other field, {@code user_data} included), then sets the fields that make it X.
 * The modifiers ({@link #userData}, {@link #flags}, {@link #bufGroup}, ...) return {@code this}.
 *
 * <p>Owned by the ring's submitting thread; valid from {@code getSqe()} until the next submit.
 */
public final class Sqe {
    /**
     * The entry as eight 64-bit words, for {@link #prepRw}'s whole-entry stores. Word 0 packs
     * opcode (byte 0), flags (byte 1), ioprio (bytes 2-3) and fd (bytes 4-7); word 3 packs len and
     * the op flags union; word 5 buf_index, personality and the fd_in union. Declared unaligned
     * so the handles skip an alignment check that the mapped array, page-aligned, never fails.
     */
    private static final StructLayout WORDS = MemoryLayout.structLayout(
            JAVA_LONG_UNALIGNED.withName("opcode_flags_ioprio_fd"),
            JAVA_LONG_UNALIGNED.withName("off"),
            JAVA_LONG_UNALIGNED.withName("addr"),
            JAVA_LONG_UNALIGNED.withName("len_op_flags"),
            JAVA_LONG_UNALIGNED.withName("user_data"),
            JAVA_LONG_UNALIGNED.withName("buf_personality_fd_in"),
            JAVA_LONG_UNALIGNED.withName("addr3"),
            JAVA_LONG_UNALIGNED.withName("pad2"));

    // Every access goes through a var handle of a 64-byte layout at the slot's address in
    // Mapped.MEMORY. Such a handle checks that the whole entry fits rather than each field's own
    // bounds, so when a prep helper writes nine fields C2 keeps one compare, and the segment being
    // a constant folds its other checks (see Mapped, and at() for what replaces the liveness check).
    private static final VarHandle OPCODE_FLAGS_IOPRIO_FD = word("opcode_flags_ioprio_fd");
    private static final VarHandle OFF_WORD = word("off");
    private static final VarHandle ADDR_WORD = word("addr");
    private static final VarHandle LEN_OP_FLAGS = word("len_op_flags");
    private static final VarHandle USER_DATA = word("user_data");
    private static final VarHandle BUF_PERSONALITY_FD_IN = word("buf_personality_fd_in");
    private static final VarHandle ADDR3_WORD = word("addr3");
    private static final VarHandle PAD2_WORD = word("pad2");

    private static final VarHandle OPCODE = field("opcode");
    private static final VarHandle FLAGS = field("flags");
    private static final VarHandle IOPRIO = field("ioprio");
    private static final VarHandle LEN = field("len");
    private static final VarHandle OP_FLAGS = field("u_op_flags", "rw_flags");
    private static final VarHandle INSTALL_FD_FLAGS = field("u_op_flags", "install_fd_flags");
    private static final VarHandle BUF_INDEX = field("u_buf", "buf_index");
    private static final VarHandle BUF_GROUP = field("u_buf", "buf_group");
    private static final VarHandle FILE_INDEX = field("u_fd_in", "file_index");
    private static final VarHandle SPLICE_FD_IN = field("u_fd_in", "splice_fd_in");
    private static final VarHandle SPLICE_OFF_IN = field("u_addr", "splice_off_in");
    private static final VarHandle ADDR_LEN = field("u_fd_in", "addr", "addr_len");
    private static final VarHandle ADDR2 = field("u_off", "addr2");
    private static final VarHandle ADDR3 = field("u_addr3", "addr3", "addr3");

    static {
        if (WORDS.byteSize() != IoUringSqe.LAYOUT.byteSize() || IoUringSqe.OFFSET_fd != 4
                || IoUringSqe.OFFSET_len != WORDS.byteOffset(groupElement("len_op_flags"))
                || IoUringSqe.OFFSET_rw_flags != IoUringSqe.OFFSET_len + 4
                || IoUringSqe.OFFSET_buf_index != WORDS.byteOffset(groupElement("buf_personality_fd_in"))
                || IoUringSqe.OFFSET_addr3 != WORDS.byteOffset(groupElement("addr3"))) {
            throw new ExceptionInInitializerError("io_uring_sqe layout is not the one the packed stores assume");
        }
    }

    private static VarHandle word(String name) {
        return WORDS.varHandle(groupElement(name));
    }

    private static VarHandle field(String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = groupElement(path[i]);
        }
        return IoUringSqe.LAYOUT.varHandle(elements);
    }

    /**
     * The address of this slot in the mapped SQE array, accessed through
     * {@link Mapped#MEMORY}; {@link Mapped#CLOSED} once the ring is closed.
     */
    private long address;

    /** The slot at {@code address} of a ring's mapped SQE array. */
    Sqe(long address) {
        this.address = address;
    }

    /** Called by the ring's close, before the SQE array is unmapped: every later access throws. */
    void close() {
        address = Mapped.CLOSED;
    }

    /**
     * This slot's address, checked: the one check that stands for the segment's liveness check
     * (see {@link Mapped}). C2 reads the field once per prep helper and folds the repeats.
     */
    private long at() {
        return Mapped.checked(address, "this SQE belongs to a closed ring");
    }

    // ---- the base every prep helper starts from ----

    /**
     * {@code io_uring_prep_rw}: writes opcode, fd, addr, len and off, and clears every other
     * field, so no state of the slot's previous use survives.
     *
     * @param op   the {@code IORING_OP_*} opcode
     * @param fd   the fd (or direct descriptor, with {@link #fixedFile}) the operation works on
     * @param addr the {@code addr} field, usually a buffer address
     * @param len  the {@code len} field, usually a byte count
     * @param off  the {@code off} field, usually a file offset
     * @return this entry
     */
    public Sqe prepRw(int op, int fd, long addr, int len, long off) {
        MemorySegment s = Mapped.MEMORY;
        long o = at();
        OPCODE_FLAGS_IOPRIO_FD.set(s, o, (op & 0xFFL) | ((long) fd << 32));
        OFF_WORD.set(s, o, off);
        ADDR_WORD.set(s, o, addr);
        LEN_OP_FLAGS.set(s, o, len & 0xFFFFFFFFL);
        USER_DATA.set(s, o, 0L);
        BUF_PERSONALITY_FD_IN.set(s, o, 0L);
        ADDR3_WORD.set(s, o, 0L);
        PAD2_WORD.set(s, o, 0L);
        return this;
    }

    // ---- modifiers ----

    /**
     * {@code io_uring_sqe_set_data64}: the value the completion carries back.
     *
     * @param userData any value; the completion's {@code user_data}
     * @return this entry
     */
    public Sqe userData(long userData) {
        USER_DATA.set(Mapped.MEMORY, at(), userData);
        return this;
    }

    /**
     * The {@code user_data} set on the entry, read back (for bookkeeping of what was submitted).
     *
     * @return the value the completion will carry
     */
    public long userData() {
        return (long) USER_DATA.get(Mapped.MEMORY, at());
    }

    /**
     * The entry's {@code IOSQE_*} flags, read back.
     *
     * @return the flags byte, unsigned
     */
    public int flags() {
        return Byte.toUnsignedInt((byte) FLAGS.get(Mapped.MEMORY, at()));
    }

    /**
     * {@code io_uring_sqe_set_flags}: replaces the entry's flags.
     *
     * @param flags {@code IOSQE_*} flags
     * @return this entry
     */
    public Sqe flags(int flags) {
        FLAGS.set(Mapped.MEMORY, at(), (byte) flags);
        return this;
    }

    /**
     * ORs flags into the entry's flags.
     *
     * @param flags {@code IOSQE_*} flags
     * @return this entry
     */
    public Sqe addFlags(int flags) {
        byte old = (byte) FLAGS.get(Mapped.MEMORY, at());
        FLAGS.set(Mapped.MEMORY, at(), (byte) (old | flags));
        return this;
    }

    /**
     * {@code IOSQE_FIXED_FILE}: the fd is an index into the registered file table (a direct
     * descriptor).
     *
     * @return this entry
     */
    public Sqe fixedFile() {
        return addFlags(IOSQE_FIXED_FILE);
    }

    /**
     * {@code IOSQE_BUFFER_SELECT}: the kernel picks the buffer from a provided-buffer group when
     * data arrives (with a buffer ring, addr and len stay 0).
     *
     * @param bgid the buffer group
     * @return this entry
     */
    public Sqe bufferSelect(int bgid) {
        addFlags(IOSQE_BUFFER_SELECT);
        return bufGroup(bgid);
    }

    /**
     * ORs flags into {@code ioprio}, where send, receive and accept keep their io_uring-specific
     * flags.
     *
     * @param flags {@code IORING_RECVSEND_*}, {@code IORING_RECV_MULTISHOT} or {@code IORING_ACCEPT_*}
     * @return this entry
     */
    public Sqe addIoprio(int flags) {
        short old = (short) IOPRIO.get(Mapped.MEMORY, at());
        IOPRIO.set(Mapped.MEMORY, at(), (short) (old | flags));
        return this;
    }

    /**
     * The buffer group ({@code buf_group}) a buffer-selecting request picks from, or that provide
     * and remove buffers work on.
     *
     * @param bgid the group id, 16 bits
     * @return this entry
     */
    public Sqe bufGroup(int bgid) {
        BUF_GROUP.set(Mapped.MEMORY, at(), (short) bgid);
        return this;
    }

    /**
     * The fixed buffer ({@code buf_index}) a {@code _FIXED} request or
     * {@code IORING_RECVSEND_FIXED_BUF} uses.
     *
     * @param index the buffer's index among those registered
     * @return this entry
     */
    public Sqe bufIndex(int index) {
        BUF_INDEX.set(Mapped.MEMORY, at(), (short) index);
        return this;
    }

    /**
     * The op-specific flags word ({@code rw_flags}, {@code msg_flags}, {@code timeout_flags}, ...).
     *
     * @param flags the flags the opcode defines
     * @return this entry
     */
    public Sqe opFlags(int flags) {
        OP_FLAGS.set(Mapped.MEMORY, at(), flags);
        return this;
    }

    /**
     * The raw {@code file_index} field; {@link #targetFixedFile} writes it for a direct-descriptor
     * slot.
     *
     * @param fileIndex the value as the kernel reads it
     * @return this entry
     */
    public Sqe fileIndex(int fileIndex) {
        FILE_INDEX.set(Mapped.MEMORY, at(), fileIndex);
        return this;
    }

    /**
     * {@code __io_uring_set_target_fixed_file}: the direct-descriptor slot a new file goes to. The
     * kernel field is the slot plus one, 0 meaning "not direct".
     *
     * @param slot the slot, or {@link dev.uring4j.ring.uapi.IoUringH#IORING_FILE_INDEX_ALLOC} to let
     *             the kernel pick one and return it in {@code cqe.res}
     * @return this entry
     */
    public Sqe targetFixedFile(int slot) {
        return fileIndex(slot == IORING_FILE_INDEX_ALLOC ? IORING_FILE_INDEX_ALLOC : slot + 1);
    }

    /**
     * The {@code addr3} field (the source slot of a {@code msg_ring} fd passing, for one).
     *
     * @param addr3 the value
     * @return this entry
     */
    public Sqe addr3(long addr3) {
        ADDR3.set(Mapped.MEMORY, at(), addr3);
        return this;
    }

    /**
     * {@code io_uring_prep_set_addr}-style destination address ({@code addr2} and
     * {@code addr_len}), for a send on an unconnected datagram socket.
     *
     * @param addr    address of the {@code sockaddr}
     * @param addrLen its length
     * @return this entry
     */
    public Sqe destAddr(long addr, int addrLen) {
        ADDR2.set(Mapped.MEMORY, at(), addr);
        ADDR_LEN.set(Mapped.MEMORY, at(), (short) addrLen);
        return this;
    }

    // ---- 5.1 and later ----

    /**
     * {@code io_uring_prep_nop}: completes with 0 without doing anything.
     *
     * @return this entry
     */
    public Sqe prepNop() {
        return prepRw(IORING_OP_NOP, -1, 0, 0, 0);
    }

    /**
     * {@code io_uring_prep_read}.
     *
     * @param fd     the file
     * @param buf    address of the buffer
     * @param nbytes bytes to read at most
     * @param offset file offset; -1 reads at the file position (pipes, eventfds, sockets)
     * @return this entry
     */
    public Sqe prepRead(int fd, long buf, int nbytes, long offset) {
        return prepRw(IORING_OP_READ, fd, buf, nbytes, offset);
    }

    /**
     * {@code io_uring_prep_write}.
     *
     * @param fd     the file
     * @param buf    address of the data
     * @param nbytes bytes to write
     * @param offset file offset; -1 writes at the file position
     * @return this entry
     */
    public Sqe prepWrite(int fd, long buf, int nbytes, long offset) {
        return prepRw(IORING_OP_WRITE, fd, buf, nbytes, offset);
    }

    /**
     * {@code io_uring_prep_poll_add}: one completion when {@code pollMask} becomes true.
     *
     * @param fd       the file to poll
     * @param pollMask {@code POLL*} events; the completion's {@code res} holds those that fired
     * @return this entry
     */
    public Sqe prepPollAdd(int fd, int pollMask) {
        prepRw(IORING_OP_POLL_ADD, fd, 0, 0, 0);
        return opFlags(pollMask);
    }

    /**
     * {@code io_uring_prep_poll_multishot} (5.13): a completion each time the mask becomes true.
     *
     * @param fd       the file to poll
     * @param pollMask {@code POLL*} events
     * @return this entry
     */
    public Sqe prepPollMultishot(int fd, int pollMask) {
        prepPollAdd(fd, pollMask);
        LEN.set(Mapped.MEMORY, at(), IORING_POLL_ADD_MULTI);
        return this;
    }

    /**
     * {@code io_uring_prep_poll_remove}: removes a poll request.
     *
     * @param userData the {@code user_data} of the poll's SQE
     * @return this entry
     */
    public Sqe prepPollRemove(long userData) {
        return prepRw(IORING_OP_POLL_REMOVE, -1, userData, 0, 0);
    }

    /**
     * {@code io_uring_prep_sendmsg}.
     *
     * @param fd     the socket
     * @param msghdr address of the {@code struct msghdr}
     * @param flags  {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepSendmsg(int fd, long msghdr, int flags) {
        prepRw(IORING_OP_SENDMSG, fd, msghdr, 1, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_recvmsg}.
     *
     * @param fd     the socket
     * @param msghdr address of the {@code struct msghdr}
     * @param flags  {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepRecvmsg(int fd, long msghdr, int flags) {
        prepRw(IORING_OP_RECVMSG, fd, msghdr, 1, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_timeout}: completes with {@code -ETIME} when the time is up, or with 0
     * once {@code count} other completions have arrived.
     *
     * @param ts    address of a {@code struct __kernel_timespec}, read when the request is issued
     * @param count completions to wait for; 0 for a pure timeout
     * @param flags {@code IORING_TIMEOUT_*} flags
     * @return this entry
     */
    public Sqe prepTimeout(long ts, int count, int flags) {
        prepRw(IORING_OP_TIMEOUT, -1, ts, 1, count);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_timeout_remove}: cancels a timeout, or updates it with
     * {@code IORING_TIMEOUT_UPDATE}.
     *
     * @param userData the {@code user_data} of the timeout's SQE
     * @param flags    {@code IORING_TIMEOUT_*} flags
     * @return this entry
     */
    public Sqe prepTimeoutRemove(long userData, int flags) {
        prepRw(IORING_OP_TIMEOUT_REMOVE, -1, userData, 0, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_accept}: one connection, whose fd is the completion's {@code res}.
     *
     * @param fd      the listening socket
     * @param addr    address of a {@code sockaddr} buffer for the peer's address, or 0
     * @param addrLen address of its {@code socklen_t} length, or 0
     * @param flags   {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}, as for {@code accept4(2)}
     * @return this entry
     */
    public Sqe prepAccept(int fd, long addr, long addrLen, int flags) {
        prepRw(IORING_OP_ACCEPT, fd, addr, 0, addrLen);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_cancel64}: cancels a request.
     *
     * @param userData the {@code user_data} of the request's SQE
     * @param flags    {@code IORING_ASYNC_CANCEL_*} flags
     * @return this entry
     */
    public Sqe prepCancel64(long userData, int flags) {
        prepRw(IORING_OP_ASYNC_CANCEL, -1, userData, 0, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_cancel_fd}: cancels requests on {@code fd}.
     *
     * @param fd    the file; or a direct descriptor, marked by {@link #fixedFile()} (since 5.19)
     *              or by {@code IORING_ASYNC_CANCEL_FD_FIXED} (since 6.0)
     * @param flags {@code IORING_ASYNC_CANCEL_*} flags ({@code ALL} for every request, not just one)
     * @return this entry
     */
    public Sqe prepCancelFd(int fd, int flags) {
        prepRw(IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0);
        return opFlags(flags | IORING_ASYNC_CANCEL_FD);
    }

    /**
     * {@code io_uring_prep_link_timeout}: bounds the previous SQE (which carries
     * {@code IOSQE_IO_LINK}); if it fires, the request completes with {@code -ECANCELED} and this
     * with {@code -ETIME}.
     *
     * @param ts    address of a {@code struct __kernel_timespec}
     * @param flags {@code IORING_TIMEOUT_*} flags
     * @return this entry
     */
    public Sqe prepLinkTimeout(long ts, int flags) {
        prepRw(IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_connect}.
     *
     * @param fd      the socket
     * @param addr    address of the peer's {@code sockaddr}
     * @param addrLen its length
     * @return this entry
     */
    public Sqe prepConnect(int fd, long addr, int addrLen) {
        return prepRw(IORING_OP_CONNECT, fd, addr, 0, addrLen);
    }

    /**
     * {@code io_uring_prep_close}.
     *
     * @param fd the fd to close
     * @return this entry
     */
    public Sqe prepClose(int fd) {
        return prepRw(IORING_OP_CLOSE, fd, 0, 0, 0);
    }

    /**
     * {@code io_uring_prep_close_direct}: frees a direct-descriptor slot.
     *
     * @param slot the slot
     * @return this entry
     */
    public Sqe prepCloseDirect(int slot) {
        prepClose(0);
        return fileIndex(slot + 1);
    }

    /**
     * {@code io_uring_prep_files_update}: installs fds into the direct-descriptor table.
     *
     * @param fds    address of an int array of fds ({@code -1} clears a slot)
     * @param nrFds  how many
     * @param offset the first slot, or {@code IORING_FILE_INDEX_ALLOC} for free ones (written back
     *               to the array)
     * @return this entry
     */
    public Sqe prepFilesUpdate(long fds, int nrFds, int offset) {
        return prepRw(IORING_OP_FILES_UPDATE, -1, fds, nrFds, offset);
    }

    /**
     * {@code io_uring_prep_send}.
     *
     * @param fd    the socket
     * @param buf   address of the data
     * @param len   bytes to send
     * @param flags {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepSend(int fd, long buf, int len, int flags) {
        prepRw(IORING_OP_SEND, fd, buf, len, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_sendto} (6.0): a send with a destination address, for unconnected
     * datagram sockets.
     *
     * @param fd      the socket
     * @param buf     address of the data
     * @param len     bytes to send
     * @param flags   {@code MSG_*} flags
     * @param addr    address of the destination {@code sockaddr}
     * @param addrLen its length
     * @return this entry
     */
    public Sqe prepSendto(int fd, long buf, int len, int flags, long addr, int addrLen) {
        prepSend(fd, buf, len, flags);
        return destAddr(addr, addrLen);
    }

    /**
     * {@code io_uring_prep_recv}.
     *
     * @param fd    the socket
     * @param buf   address of the buffer, or 0 with {@link #bufferSelect}
     * @param len   bytes to receive at most, or 0 with a buffer ring
     * @param flags {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepRecv(int fd, long buf, int len, int flags) {
        prepRw(IORING_OP_RECV, fd, buf, len, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_shutdown} (5.11).
     *
     * @param fd  the socket
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @return this entry
     */
    public Sqe prepShutdown(int fd, int how) {
        return prepRw(IORING_OP_SHUTDOWN, fd, 0, how, 0);
    }

    /**
     * {@code io_uring_prep_provide_buffers}: the legacy (5.7) way to hand buffers to a group;
     * {@link BufferRing} is the cheaper one.
     *
     * @param addr address of the first buffer; the others follow it
     * @param len  size of each buffer
     * @param nr   how many buffers
     * @param bgid the buffer group
     * @param bid  the id of the first buffer; the others count up from it
     * @return this entry
     */
    public Sqe prepProvideBuffers(long addr, int len, int nr, int bgid, int bid) {
        prepRw(IORING_OP_PROVIDE_BUFFERS, nr, addr, len, bid);
        return bufGroup(bgid);
    }

    /**
     * {@code io_uring_prep_remove_buffers}: takes buffers given with
     * {@link #prepProvideBuffers} back.
     *
     * @param nr   how many buffers at most
     * @param bgid the buffer group
     * @return this entry
     */
    public Sqe prepRemoveBuffers(int nr, int bgid) {
        prepRw(IORING_OP_REMOVE_BUFFERS, nr, 0, 0, 0);
        return bufGroup(bgid);
    }

    // ---- 5.6 and later ----

    /**
     * {@code io_uring_prep_openat}: {@code openat(2)}; {@code cqe.res} is the new fd.
     *
     * @param dfd   the directory a relative {@code path} starts from, or
     *              {@link dev.uring4j.ring.uapi.Fcntl#AT_FDCWD}
     * @param path  address of the NUL-terminated path; read when the operation runs, so it lives
     *              until the completion
     * @param flags {@code O_*} flags ({@code open_flags}, in the op-flags word)
     * @param mode  the mode of a file {@code O_CREAT} makes, else 0
     * @return this entry
     */
    public Sqe prepOpenat(int dfd, long path, int flags, int mode) {
        prepRw(IORING_OP_OPENAT, dfd, path, mode, 0);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_openat2}: {@code openat2(2)}, whose {@code struct open_how} can confine
     * resolution ({@code RESOLVE_BENEATH}: a path that leaves {@code dfd} fails with {@code EXDEV}).
     *
     * @param dfd  the directory a relative {@code path} starts from
     * @param path address of the NUL-terminated path, alive until the completion
     * @param how  address of a {@link OpenHow#LAYOUT struct open_how}, alive until the completion
     * @return this entry
     */
    public Sqe prepOpenat2(int dfd, long path, long how) {
        return prepRw(IORING_OP_OPENAT2, dfd, path, (int) OpenHow.LAYOUT.byteSize(), how);
    }

    /**
     * {@code io_uring_prep_statx}: {@code statx(2)}; the kernel writes the result to
     * {@code statxbuf} when the operation runs.
     *
     * @param dfd      the directory a relative {@code path} starts from, or the file itself with
     *                 an empty path and {@code AT_EMPTY_PATH}
     * @param path     address of the NUL-terminated path, alive until the completion
     * @param flags    {@code AT_*} flags ({@code statx_flags}, in the op-flags word)
     * @param mask     the {@code STATX_*} fields wanted
     * @param statxbuf address of a {@link dev.uring4j.ring.uapi.Statx#LAYOUT struct statx}, alive
     *                 until the completion
     * @return this entry
     */
    public Sqe prepStatx(int dfd, long path, int flags, int mask, long statxbuf) {
        prepRw(IORING_OP_STATX, dfd, path, mask, statxbuf);
        return opFlags(flags);
    }

    // ---- 5.7 and later ----

    /**
     * {@code io_uring_prep_splice}: {@code splice(2)}, moving up to {@code nbytes} between two
     * descriptors of which one is a pipe, without copying through user memory.
     *
     * @param fdIn        the source
     * @param offIn       the source offset, or -1 for its file position (a pipe must use -1)
     * @param fdOut       the destination
     * @param offOut      the destination offset, or -1 for its file position
     * @param nbytes      bytes to move at most
     * @param spliceFlags {@code SPLICE_F_*} flags, with {@code SPLICE_F_FD_IN_FIXED} when
     *                    {@code fdIn} is a direct descriptor
     * @return this entry
     */
    public Sqe prepSplice(int fdIn, long offIn, int fdOut, long offOut, int nbytes, int spliceFlags) {
        prepRw(IORING_OP_SPLICE, fdOut, 0, nbytes, offOut);
        MemorySegment s = Mapped.MEMORY;
        long o = at();
        SPLICE_OFF_IN.set(s, o, offIn);
        SPLICE_FD_IN.set(s, o, fdIn);
        return opFlags(spliceFlags);
    }

    // ---- 5.18 and later ----

    /**
     * {@code io_uring_prep_msg_ring} (5.18): posts a CQE with {@code res = len} and
     * {@code user_data = data} on another ring.
     *
     * @param ringFd the target ring's fd
     * @param len    the target CQE's {@code res}
     * @param data   the target CQE's {@code user_data}
     * @param flags  {@code IORING_MSG_RING_*} flags
     * @return this entry
     */
    public Sqe prepMsgRing(int ringFd, int len, long data, int flags) {
        prepRw(IORING_OP_MSG_RING, ringFd, IORING_MSG_DATA, len, data);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_msg_ring_cqe_flags} (6.3): as {@link #prepMsgRing}, with the target
     * CQE's flags.
     *
     * @param ringFd   the target ring's fd
     * @param len      the target CQE's {@code res}
     * @param data     the target CQE's {@code user_data}
     * @param flags    {@code IORING_MSG_RING_*} flags
     * @param cqeFlags the target CQE's {@code flags}
     * @return this entry
     */
    public Sqe prepMsgRingCqeFlags(int ringFd, int len, long data, int flags, int cqeFlags) {
        prepRw(IORING_OP_MSG_RING, ringFd, IORING_MSG_DATA, len, data);
        opFlags(flags | IORING_MSG_RING_FLAGS_PASS);
        return fileIndex(cqeFlags);
    }

    /**
     * {@code io_uring_prep_msg_ring_fd} (6.0): installs one of this ring's direct descriptors into
     * another ring's table, posting a CQE with {@code user_data = data} there.
     *
     * @param ringFd     the target ring's fd
     * @param sourceSlot the direct descriptor here
     * @param targetSlot the slot there, or {@code IORING_FILE_INDEX_ALLOC} for a free one
     * @param data       the target CQE's {@code user_data}
     * @param flags      {@code IORING_MSG_RING_*} flags
     * @return this entry
     */
    public Sqe prepMsgRingFd(int ringFd, int sourceSlot, int targetSlot, long data, int flags) {
        prepRw(IORING_OP_MSG_RING, ringFd, IORING_MSG_SEND_FD, 0, data);
        addr3(sourceSlot);
        targetFixedFile(targetSlot);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_msg_ring_fd_alloc}: {@link #prepMsgRingFd} into a slot the target ring
     * picks.
     *
     * @param ringFd     the target ring's fd
     * @param sourceSlot the direct descriptor here
     * @param data       the target CQE's {@code user_data}
     * @param flags      {@code IORING_MSG_RING_*} flags
     * @return this entry
     */
    public Sqe prepMsgRingFdAlloc(int ringFd, int sourceSlot, long data, int flags) {
        return prepMsgRingFd(ringFd, sourceSlot, IORING_FILE_INDEX_ALLOC, data, flags);
    }

    // ---- 5.19 and later ----

    /**
     * {@code io_uring_prep_multishot_accept} (5.19): a CQE per accepted connection,
     * {@code IORING_CQE_F_MORE} while armed.
     *
     * @param fd      the listening socket
     * @param addr    address of a {@code sockaddr} buffer, or 0 (shared by every accept)
     * @param addrLen address of its {@code socklen_t} length, or 0
     * @param flags   {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}
     * @return this entry
     */
    public Sqe prepMultishotAccept(int fd, long addr, long addrLen, int flags) {
        prepAccept(fd, addr, addrLen, flags);
        return addIoprio(IORING_ACCEPT_MULTISHOT);
    }

    /**
     * {@code io_uring_prep_accept_direct} (5.19): the connection goes into a direct-descriptor slot
     * instead of the fd table.
     *
     * @param fd      the listening socket
     * @param addr    address of a {@code sockaddr} buffer, or 0
     * @param addrLen address of its {@code socklen_t} length, or 0
     * @param flags   {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}
     * @param slot    the slot, or {@code IORING_FILE_INDEX_ALLOC} for a free one ({@code cqe.res})
     * @return this entry
     */
    public Sqe prepAcceptDirect(int fd, long addr, long addrLen, int flags, int slot) {
        prepAccept(fd, addr, addrLen, flags);
        return targetFixedFile(slot);
    }

    /**
     * {@code io_uring_prep_multishot_accept_direct} (5.19): every connection goes into a direct
     * descriptor the kernel allocates; {@code cqe.res} is its slot.
     *
     * @param fd      the listening socket
     * @param addr    address of a {@code sockaddr} buffer, or 0
     * @param addrLen address of its {@code socklen_t} length, or 0
     * @param flags   {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}
     * @return this entry
     */
    public Sqe prepMultishotAcceptDirect(int fd, long addr, long addrLen, int flags) {
        prepMultishotAccept(fd, addr, addrLen, flags);
        return fileIndex(IORING_FILE_INDEX_ALLOC);
    }

    /**
     * {@code io_uring_prep_socket} (5.19): a socket, whose fd is the completion's {@code res}.
     *
     * @param domain   {@code AF_*}
     * @param type     {@code SOCK_*}, with {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}
     * @param protocol the protocol, usually 0
     * @param flags    0: the kernel defines none yet
     * @return this entry
     */
    public Sqe prepSocket(int domain, int type, int protocol, int flags) {
        prepRw(IORING_OP_SOCKET, domain, 0, protocol, type);
        return opFlags(flags);
    }

    /**
     * {@code io_uring_prep_socket_direct} (5.19): the socket goes into a direct-descriptor slot.
     *
     * @param domain   {@code AF_*}
     * @param type     {@code SOCK_*}
     * @param protocol the protocol, usually 0
     * @param slot     the slot
     * @param flags    0: the kernel defines none yet
     * @return this entry
     */
    public Sqe prepSocketDirect(int domain, int type, int protocol, int slot, int flags) {
        prepSocket(domain, type, protocol, flags);
        return targetFixedFile(slot);
    }

    /**
     * {@code io_uring_prep_socket_direct_alloc} (5.19): the socket goes into a slot the kernel
     * picks; {@code cqe.res} is the slot.
     *
     * @param domain   {@code AF_*}
     * @param type     {@code SOCK_*}
     * @param protocol the protocol, usually 0
     * @param flags    0: the kernel defines none yet
     * @return this entry
     */
    public Sqe prepSocketDirectAlloc(int domain, int type, int protocol, int flags) {
        prepSocket(domain, type, protocol, flags);
        return fileIndex(IORING_FILE_INDEX_ALLOC);
    }

    // ---- 6.0 and later ----

    /**
     * {@code io_uring_prep_recv_multishot} (6.0): a CQE per arrival of data, each into a provided
     * buffer: pass {@code buf = 0, len = 0} and {@link #bufferSelect} a group.
     *
     * @param fd    the socket
     * @param buf   0
     * @param len   0, or the most to put in one buffer
     * @param flags {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepRecvMultishot(int fd, long buf, int len, int flags) {
        prepRecv(fd, buf, len, flags);
        return addIoprio(IORING_RECV_MULTISHOT);
    }

    /**
     * {@code io_uring_prep_recvmsg_multishot} (6.0): each provided buffer starts with a
     * {@code struct io_uring_recvmsg_out}; the msghdr only gives the name and control lengths.
     *
     * @param fd     the socket
     * @param msghdr address of the {@code struct msghdr}
     * @param flags  {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepRecvmsgMultishot(int fd, long msghdr, int flags) {
        prepRecvmsg(fd, msghdr, flags);
        return addIoprio(IORING_RECV_MULTISHOT);
    }

    /**
     * {@code io_uring_prep_send_zc} (6.0): zero-copy send. Two CQEs: the result (with
     * {@code IORING_CQE_F_MORE}), then a notification ({@code IORING_CQE_F_NOTIF}) after which the
     * buffer may be reused.
     *
     * @param fd      the socket
     * @param buf     address of the data, which must stay untouched until the notification
     * @param len     bytes to send
     * @param flags   {@code MSG_*} flags
     * @param zcFlags {@code IORING_RECVSEND_*} and {@code IORING_SEND_ZC_*} flags
     * @return this entry
     */
    public Sqe prepSendZc(int fd, long buf, int len, int flags, int zcFlags) {
        prepRw(IORING_OP_SEND_ZC, fd, buf, len, 0);
        opFlags(flags);
        IOPRIO.set(Mapped.MEMORY, at(), (short) zcFlags);
        return this;
    }

    // ---- 6.1 and later ----

    /**
     * {@code io_uring_prep_sendmsg_zc} (6.1): {@link #prepSendmsg} without copying the data, with
     * the two CQEs of {@link #prepSendZc}.
     *
     * @param fd     the socket
     * @param msghdr address of the {@code struct msghdr}
     * @param flags  {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepSendmsgZc(int fd, long msghdr, int flags) {
        prepSendmsg(fd, msghdr, flags);
        OPCODE.set(Mapped.MEMORY, at(), (byte) IORING_OP_SENDMSG_ZC);
        return this;
    }

    // ---- 6.8 and later ----

    /**
     * {@code io_uring_prep_fixed_fd_install} (6.8): makes a normal fd for a direct descriptor
     * ({@code cqe.res} is the fd), for APIs that need one.
     *
     * @param slot  the direct descriptor
     * @param flags {@code IORING_FIXED_FD_NO_CLOEXEC}, or 0
     * @return this entry
     */
    public Sqe prepFixedFdInstall(int slot, int flags) {
        prepRw(IORING_OP_FIXED_FD_INSTALL, slot, 0, 0, 0);
        flags(IOSQE_FIXED_FILE);
        INSTALL_FD_FLAGS.set(Mapped.MEMORY, at(), flags);
        return this;
    }

    // ---- 6.10 and later ----

    /**
     * {@code io_uring_prep_recv_multishot} with {@code IORING_RECVSEND_BUNDLE} (6.10): one CQE may
     * cover several consecutive provided buffers; {@code res} is the total length and the buffer id
     * is the first buffer's.
     *
     * @param fd    the socket
     * @param flags {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepRecvMultishotBundle(int fd, int flags) {
        prepRecvMultishot(fd, 0, 0, flags);
        return addIoprio(IORING_RECVSEND_BUNDLE);
    }

    /**
     * {@code io_uring_prep_send_bundle} (6.10): sends from consecutive provided buffers of the
     * selected group.
     *
     * @param fd    the socket
     * @param len   bytes to send at most, 0 for what the buffers hold
     * @param flags {@code MSG_*} flags
     * @return this entry
     */
    public Sqe prepSendBundle(int fd, int len, int flags) {
        prepSend(fd, 0, len, flags);
        return addIoprio(IORING_RECVSEND_BUNDLE);
    }

    // ---- 6.11 and later ----

    /**
     * {@code io_uring_prep_bind} (6.11).
     *
     * @param fd      the socket
     * @param addr    address of the {@code sockaddr}
     * @param addrLen its length
     * @return this entry
     */
    public Sqe prepBind(int fd, long addr, int addrLen) {
        return prepRw(IORING_OP_BIND, fd, addr, 0, addrLen);
    }

    /**
     * {@code io_uring_prep_listen} (6.11).
     *
     * @param fd      the socket
     * @param backlog the accept queue's length
     * @return this entry
     */
    public Sqe prepListen(int fd, int backlog) {
        return prepRw(IORING_OP_LISTEN, fd, 0, backlog, 0);
    }
}
