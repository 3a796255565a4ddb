package dev.uring4j.ring.uapi;

/**
 * The constants of {@code include/uapi/linux/io_uring.h}, named and valued verbatim and in header
 * order, as liburing copies them; each has a short note of what it does, and the kernel's man
 * pages ({@code io_uring_setup(2)}, {@code io_uring_enter(2)}, {@code io_uring_register(2)}) and
 * liburing's say the rest. Plain {@code int}s (and {@code long}s for 64-bit values) so that flags
 * combine with {@code |}. The kernel version that introduced a constant is in {@code Probe}, not
 * here.
 */
public final class IoUringH {
    private IoUringH() {}

    /** {@code IORING_FILE_INDEX_ALLOC}: let the kernel pick a free direct-descriptor slot. */
    public static final int IORING_FILE_INDEX_ALLOC = ~0;

    // sqe->flags
    /** Bit number of {@link #IOSQE_FIXED_FILE}. */
    public static final int IOSQE_FIXED_FILE_BIT = 0;
    /** Bit number of {@link #IOSQE_IO_DRAIN}. */
    public static final int IOSQE_IO_DRAIN_BIT = 1;
    /** Bit number of {@link #IOSQE_IO_LINK}. */
    public static final int IOSQE_IO_LINK_BIT = 2;
    /** Bit number of {@link #IOSQE_IO_HARDLINK}. */
    public static final int IOSQE_IO_HARDLINK_BIT = 3;
    /** Bit number of {@link #IOSQE_ASYNC}. */
    public static final int IOSQE_ASYNC_BIT = 4;
    /** Bit number of {@link #IOSQE_BUFFER_SELECT}. */
    public static final int IOSQE_BUFFER_SELECT_BIT = 5;
    /** Bit number of {@link #IOSQE_CQE_SKIP_SUCCESS}. */
    public static final int IOSQE_CQE_SKIP_SUCCESS_BIT = 6;
    /** The fd is an index into the registered file table (a direct descriptor). */
    public static final int IOSQE_FIXED_FILE = 1 << IOSQE_FIXED_FILE_BIT;
    /** Issue only after every earlier request has completed. */
    public static final int IOSQE_IO_DRAIN = 1 << IOSQE_IO_DRAIN_BIT;
    /** Link the next SQE: it starts when this one completes, and fails if this one fails. */
    public static final int IOSQE_IO_LINK = 1 << IOSQE_IO_LINK_BIT;
    /** Link the next SQE, which starts even if this one fails. */
    public static final int IOSQE_IO_HARDLINK = 1 << IOSQE_IO_HARDLINK_BIT;
    /** Always issue from an async worker, without trying inline first. */
    public static final int IOSQE_ASYNC = 1 << IOSQE_ASYNC_BIT;
    /** Take the buffer from the request's provided-buffer group. */
    public static final int IOSQE_BUFFER_SELECT = 1 << IOSQE_BUFFER_SELECT_BIT;
    /** Post no completion when the request succeeds. */
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << IOSQE_CQE_SKIP_SUCCESS_BIT;

    // io_uring_setup() flags
    /** Poll for I/O completion instead of taking interrupts (polled block devices). */
    public static final int IORING_SETUP_IOPOLL = 1 << 0;
    /** A kernel thread polls the SQ, so submitting needs no system call. */
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    /** Pin the SQPOLL thread to {@code sq_thread_cpu}. */
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    /** The CQ size is given in {@code cq_entries}. */
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    /** Clamp the SQ and CQ sizes to the maximum instead of failing. */
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    /** Share the async worker pool of the ring in {@code wq_fd}. */
    public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;
    /** Start disabled, until {@code IORING_REGISTER_ENABLE_RINGS}. */
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    /** Go on submitting after an SQE that fails. */
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    /** Run task work when the thread enters the kernel, without interrupting it. */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    /** Set {@code IORING_SQ_TASKRUN} while task work waits for an enter. */
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    /** 128-byte SQEs, for {@code IORING_OP_URING_CMD}. */
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    /** 32-byte CQEs, with {@code big_cqe}. */
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    /** Only one thread submits: the one that set the ring up or enabled it. */
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    /** Defer task work until the submitting thread waits (with {@code SINGLE_ISSUER}). */
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    /** The application provides the ring memory instead of mapping the kernel's. */
    public static final int IORING_SETUP_NO_MMAP = 1 << 14;
    /** Return a registered ring index instead of an fd (with {@code NO_MMAP}). */
    public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
    /** No SQ index array: SQEs are consumed in ring order. */
    public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;
    /** With {@code IOPOLL}: sleep through part of the expected wait before polling. */
    public static final int IORING_SETUP_HYBRID_IOPOLL = 1 << 17;
    /** 16- and 32-byte CQEs mixed in one CQ; 32-byte ones carry {@code IORING_CQE_F_32}. */
    public static final int IORING_SETUP_CQE_MIXED = 1 << 18;

    // enum io_uring_op
    /** Nothing: completes with 0. */
    public static final int IORING_OP_NOP = 0;
    /** {@code preadv2(2)}. */
    public static final int IORING_OP_READV = 1;
    /** {@code pwritev2(2)}. */
    public static final int IORING_OP_WRITEV = 2;
    /** {@code fsync(2)}. */
    public static final int IORING_OP_FSYNC = 3;
    /** A read into a registered buffer. */
    public static final int IORING_OP_READ_FIXED = 4;
    /** A write from a registered buffer. */
    public static final int IORING_OP_WRITE_FIXED = 5;
    /** Wait for a file to become ready. */
    public static final int IORING_OP_POLL_ADD = 6;
    /** Remove or update a poll request. */
    public static final int IORING_OP_POLL_REMOVE = 7;
    /** {@code sync_file_range(2)}. */
    public static final int IORING_OP_SYNC_FILE_RANGE = 8;
    /** {@code sendmsg(2)}. */
    public static final int IORING_OP_SENDMSG = 9;
    /** {@code recvmsg(2)}. */
    public static final int IORING_OP_RECVMSG = 10;
    /** A timeout, or a wait for a number of completions. */
    public static final int IORING_OP_TIMEOUT = 11;
    /** Remove or update a timeout. */
    public static final int IORING_OP_TIMEOUT_REMOVE = 12;
    /** {@code accept4(2)}. */
    public static final int IORING_OP_ACCEPT = 13;
    /** Cancel requests. */
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    /** A timeout on the request linked before it. */
    public static final int IORING_OP_LINK_TIMEOUT = 15;
    /** {@code connect(2)}. */
    public static final int IORING_OP_CONNECT = 16;
    /** {@code fallocate(2)}. */
    public static final int IORING_OP_FALLOCATE = 17;
    /** {@code openat(2)}. */
    public static final int IORING_OP_OPENAT = 18;
    /** {@code close(2)}, or freeing a direct descriptor. */
    public static final int IORING_OP_CLOSE = 19;
    /** Update slots of the registered file table. */
    public static final int IORING_OP_FILES_UPDATE = 20;
    /** {@code statx(2)}. */
    public static final int IORING_OP_STATX = 21;
    /** {@code pread(2)}, or {@code read(2)} at offset -1. */
    public static final int IORING_OP_READ = 22;
    /** {@code pwrite(2)}, or {@code write(2)} at offset -1. */
    public static final int IORING_OP_WRITE = 23;
    /** {@code posix_fadvise(2)}. */
    public static final int IORING_OP_FADVISE = 24;
    /** {@code madvise(2)}. */
    public static final int IORING_OP_MADVISE = 25;
    /** {@code send(2)}, or {@code sendto(2)} with a destination address. */
    public static final int IORING_OP_SEND = 26;
    /** {@code recv(2)}. */
    public static final int IORING_OP_RECV = 27;
    /** {@code openat2(2)}. */
    public static final int IORING_OP_OPENAT2 = 28;
    /** {@code epoll_ctl(2)}. */
    public static final int IORING_OP_EPOLL_CTL = 29;
    /** {@code splice(2)}. */
    public static final int IORING_OP_SPLICE = 30;
    /** Hand buffers to a provided-buffer group (the way before buffer rings). */
    public static final int IORING_OP_PROVIDE_BUFFERS = 31;
    /** Take buffers back from a provided-buffer group. */
    public static final int IORING_OP_REMOVE_BUFFERS = 32;
    /** {@code tee(2)}. */
    public static final int IORING_OP_TEE = 33;
    /** {@code shutdown(2)}. */
    public static final int IORING_OP_SHUTDOWN = 34;
    /** {@code renameat2(2)}. */
    public static final int IORING_OP_RENAMEAT = 35;
    /** {@code unlinkat(2)}. */
    public static final int IORING_OP_UNLINKAT = 36;
    /** {@code mkdirat(2)}. */
    public static final int IORING_OP_MKDIRAT = 37;
    /** {@code symlinkat(2)}. */
    public static final int IORING_OP_SYMLINKAT = 38;
    /** {@code linkat(2)}. */
    public static final int IORING_OP_LINKAT = 39;
    /** Post a completion on another ring, or pass it a direct descriptor. */
    public static final int IORING_OP_MSG_RING = 40;
    /** {@code fsetxattr(2)}. */
    public static final int IORING_OP_FSETXATTR = 41;
    /** {@code setxattr(2)}. */
    public static final int IORING_OP_SETXATTR = 42;
    /** {@code fgetxattr(2)}. */
    public static final int IORING_OP_FGETXATTR = 43;
    /** {@code getxattr(2)}. */
    public static final int IORING_OP_GETXATTR = 44;
    /** {@code socket(2)}. */
    public static final int IORING_OP_SOCKET = 45;
    /** A command for the file's driver or protocol. */
    public static final int IORING_OP_URING_CMD = 46;
    /** A send without copying the data. */
    public static final int IORING_OP_SEND_ZC = 47;
    /** A sendmsg without copying the data. */
    public static final int IORING_OP_SENDMSG_ZC = 48;
    /** Repeated reads into provided buffers, a completion each. */
    public static final int IORING_OP_READ_MULTISHOT = 49;
    /** {@code waitid(2)}. */
    public static final int IORING_OP_WAITID = 50;
    /** Wait on a futex. */
    public static final int IORING_OP_FUTEX_WAIT = 51;
    /** Wake futex waiters. */
    public static final int IORING_OP_FUTEX_WAKE = 52;
    /** Wait on several futexes. */
    public static final int IORING_OP_FUTEX_WAITV = 53;
    /** Make a normal fd from a direct descriptor. */
    public static final int IORING_OP_FIXED_FD_INSTALL = 54;
    /** {@code ftruncate(2)}. */
    public static final int IORING_OP_FTRUNCATE = 55;
    /** {@code bind(2)}. */
    public static final int IORING_OP_BIND = 56;
    /** {@code listen(2)}. */
    public static final int IORING_OP_LISTEN = 57;
    /** A receive into a registered zero-copy area. */
    public static final int IORING_OP_RECV_ZC = 58;
    /** {@code epoll_wait(2)}. */
    public static final int IORING_OP_EPOLL_WAIT = 59;
    /** A vectored read into registered buffers. */
    public static final int IORING_OP_READV_FIXED = 60;
    /** A vectored write from registered buffers. */
    public static final int IORING_OP_WRITEV_FIXED = 61;
    /** {@code pipe2(2)}. */
    public static final int IORING_OP_PIPE = 62;
    /** One past the highest opcode of this table. */
    public static final int IORING_OP_LAST = 63;

    // sqe->uring_cmd_flags
    /** The command uses the registered buffer {@code buf_index}. */
    public static final int IORING_URING_CMD_FIXED = 1 << 0;
    /** The command posts a completion per provided buffer it fills. */
    public static final int IORING_URING_CMD_MULTISHOT = 1 << 1;

    // sqe->fsync_flags
    /** {@code fdatasync(2)} instead of {@code fsync(2)}. */
    public static final int IORING_FSYNC_DATASYNC = 1 << 0;

    // sqe->timeout_flags
    /** The time is absolute, not relative. */
    public static final int IORING_TIMEOUT_ABS = 1 << 0;
    /** A timeout remove that updates the timeout instead. */
    public static final int IORING_TIMEOUT_UPDATE = 1 << 1;
    /** Measure on {@code CLOCK_BOOTTIME}. */
    public static final int IORING_TIMEOUT_BOOTTIME = 1 << 2;
    /** Measure on {@code CLOCK_REALTIME}. */
    public static final int IORING_TIMEOUT_REALTIME = 1 << 3;
    /** A timeout remove that updates a linked timeout instead. */
    public static final int IORING_LINK_TIMEOUT_UPDATE = 1 << 4;
    /** Expiry ({@code -ETIME}) does not count as a failure, so links go on. */
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
    /** Fire repeatedly: {@code off} times, or until removed if {@code off} is 0. */
    public static final int IORING_TIMEOUT_MULTISHOT = 1 << 6;
    /** The clock bits. */
    public static final int IORING_TIMEOUT_CLOCK_MASK = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
    /** The update bits. */
    public static final int IORING_TIMEOUT_UPDATE_MASK = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

    // sqe->splice_flags
    /** {@code splice_fd_in} is a direct descriptor. */
    public static final int SPLICE_F_FD_IN_FIXED = 1 << 31;

    // POLL_ADD flags, in sqe->len
    /** A completion per event, until removed. */
    public static final int IORING_POLL_ADD_MULTI = 1 << 0;
    /** A poll remove that updates the events instead. */
    public static final int IORING_POLL_UPDATE_EVENTS = 1 << 1;
    /** A poll remove that updates the {@code user_data} instead. */
    public static final int IORING_POLL_UPDATE_USER_DATA = 1 << 2;
    /** Level-triggered instead of edge-triggered. */
    public static final int IORING_POLL_ADD_LEVEL = 1 << 3;

    // ASYNC_CANCEL flags
    /** Cancel every matching request, not only the first. */
    public static final int IORING_ASYNC_CANCEL_ALL = 1 << 0;
    /** Match by fd instead of {@code user_data}. */
    public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    /** Match any request. */
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;
    /** The fd is a direct descriptor. */
    public static final int IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;
    /** Match by {@code user_data}, when combined with other keys. */
    public static final int IORING_ASYNC_CANCEL_USERDATA = 1 << 4;
    /** Match by opcode. */
    public static final int IORING_ASYNC_CANCEL_OP = 1 << 5;

    // send/sendmsg and recv/recvmsg flags, in sqe->ioprio
    /** Wait for readiness before trying. */
    public static final int IORING_RECVSEND_POLL_FIRST = 1 << 0;
    /** A completion per arrival of data, each into a provided buffer. */
    public static final int IORING_RECV_MULTISHOT = 1 << 1;
    /** Use the registered buffer {@code buf_index}. */
    public static final int IORING_RECVSEND_FIXED_BUF = 1 << 2;
    /** The notification tells whether the data was copied after all. */
    public static final int IORING_SEND_ZC_REPORT_USAGE = 1 << 3;
    /** Use several consecutive provided buffers in one operation. */
    public static final int IORING_RECVSEND_BUNDLE = 1 << 4;
    /** The send's {@code addr} is an iovec array. */
    public static final int IORING_SEND_VECTORIZED = 1 << 5;

    /** cqe.res of a zero-copy notification when the data was copied after all. */
    public static final int IORING_NOTIF_USAGE_ZC_COPIED = 1 << 31;

    // accept flags, in sqe->ioprio
    /** A completion per connection, until cancelled. */
    public static final int IORING_ACCEPT_MULTISHOT = 1 << 0;
    /** Fail with {@code -EAGAIN} instead of waiting for a connection. */
    public static final int IORING_ACCEPT_DONTWAIT = 1 << 1;
    /** Wait for readiness before trying. */
    public static final int IORING_ACCEPT_POLL_FIRST = 1 << 2;

    // IORING_OP_MSG_RING command types, in sqe->addr
    /** Post a completion with the given {@code res} and {@code user_data}. */
    public static final int IORING_MSG_DATA = 0;
    /** Pass a direct descriptor. */
    public static final int IORING_MSG_SEND_FD = 1;

    // IORING_OP_MSG_RING flags, in sqe->msg_ring_flags
    /** Post no completion on the sending ring. */
    public static final int IORING_MSG_RING_CQE_SKIP = 1 << 0;
    /** The target completion's flags are in {@code file_index}. */
    public static final int IORING_MSG_RING_FLAGS_PASS = 1 << 1;

    // IORING_OP_FIXED_FD_INSTALL flags, in sqe->install_fd_flags
    /** The new fd is not close-on-exec. */
    public static final int IORING_FIXED_FD_NO_CLOEXEC = 1 << 0;

    // IORING_OP_NOP flags, in sqe->nop_flags
    /** Complete with the result given in {@code len}. */
    public static final int IORING_NOP_INJECT_RESULT = 1 << 0;
    /** Look the fd up, as an I/O request would. */
    public static final int IORING_NOP_FILE = 1 << 1;
    /** The fd is a direct descriptor. */
    public static final int IORING_NOP_FIXED_FILE = 1 << 2;
    /** Look the registered buffer {@code buf_index} up. */
    public static final int IORING_NOP_FIXED_BUFFER = 1 << 3;
    /** Complete through task work. */
    public static final int IORING_NOP_TW = 1 << 4;
    /** Post a 32-byte completion (on a {@code CQE_MIXED} ring). */
    public static final int IORING_NOP_CQE32 = 1 << 5;

    // cqe->flags
    /** The upper 16 bits of {@code flags} hold the provided buffer's id. */
    public static final int IORING_CQE_F_BUFFER = 1 << 0;
    /** More completions will follow for this request. */
    public static final int IORING_CQE_F_MORE = 1 << 1;
    /** The socket still had data after this receive. */
    public static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
    /** A zero-copy send's notification, not its result. */
    public static final int IORING_CQE_F_NOTIF = 1 << 3;
    /** The kernel goes on filling this buffer (incremental consumption). */
    public static final int IORING_CQE_F_BUF_MORE = 1 << 4;
    /** Padding to skip (on a {@code CQE_MIXED} ring). */
    public static final int IORING_CQE_F_SKIP = 1 << 5;
    /** A 32-byte entry (on a {@code CQE_MIXED} ring). */
    public static final int IORING_CQE_F_32 = 1 << 15;
    /** Where the buffer id starts in {@code flags}. */
    public static final int IORING_CQE_BUFFER_SHIFT = 16;

    // Magic offsets for the application to mmap the data it needs
    /** mmap offset of the SQ ring. */
    public static final long IORING_OFF_SQ_RING = 0L;
    /** mmap offset of the CQ ring. */
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    /** mmap offset of the SQE array. */
    public static final long IORING_OFF_SQES = 0x10000000L;
    /** mmap offset of a kernel-allocated buffer ring, ORed with {@code bgid << IORING_OFF_PBUF_SHIFT}. */
    public static final long IORING_OFF_PBUF_RING = 0x80000000L;
    /** Where the group id goes in a buffer ring's mmap offset. */
    public static final int IORING_OFF_PBUF_SHIFT = 16;
    /** The bits of an mmap offset that say what is mapped. */
    public static final long IORING_OFF_MMAP_MASK = 0xf8000000L;

    // sq_ring->flags
    /** The SQPOLL thread sleeps: enter with {@code IORING_ENTER_SQ_WAKEUP}. */
    public static final int IORING_SQ_NEED_WAKEUP = 1 << 0;
    /** Completions wait in the overflow list for room in the CQ. */
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    /** Task work waits for an enter. */
    public static final int IORING_SQ_TASKRUN = 1 << 2;

    // cq_ring->flags
    /** Do not signal the registered eventfd. */
    public static final int IORING_CQ_EVENTFD_DISABLED = 1 << 0;

    // io_uring_enter(2) flags
    /** Wait for {@code min_complete} completions. */
    public static final int IORING_ENTER_GETEVENTS = 1 << 0;
    /** Wake the SQPOLL thread. */
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    /** Wait until the SQPOLL thread has made room in the SQ. */
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;
    /** {@code arg} is an {@code io_uring_getevents_arg}. */
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    /** The fd is a registered ring index. */
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;
    /** The wait's timeout is absolute. */
    public static final int IORING_ENTER_ABS_TIMER = 1 << 5;
    /** {@code arg} is an offset into a registered wait region. */
    public static final int IORING_ENTER_EXT_ARG_REG = 1 << 6;
    /** Do not count the wait as iowait. */
    public static final int IORING_ENTER_NO_IOWAIT = 1 << 7;

    // io_uring_params->features
    /** SQ and CQ rings share one mapping. */
    public static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    /** Completions are kept, not dropped, when the CQ is full. */
    public static final int IORING_FEAT_NODROP = 1 << 1;
    /** What an SQE points to is read by the time it is submitted. */
    public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    /** Offset -1 reads or writes at the file position. */
    public static final int IORING_FEAT_RW_CUR_POS = 1 << 3;
    /** Requests run with the submitter's credentials. */
    public static final int IORING_FEAT_CUR_PERSONALITY = 1 << 4;
    /** Requests that would block wait for readiness inside the kernel, not in a worker. */
    public static final int IORING_FEAT_FAST_POLL = 1 << 5;
    /** Poll masks have 32 bits. */
    public static final int IORING_FEAT_POLL_32BITS = 1 << 6;
    /** SQPOLL works with normal fds, not only registered ones. */
    public static final int IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
    /** {@code IORING_ENTER_EXT_ARG}: timed waits without a timeout SQE. */
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    /** Async workers are threads of the process. */
    public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;
    /** Registered files and buffers take tags. */
    public static final int IORING_FEAT_RSRC_TAGS = 1 << 10;
    /** {@code IOSQE_CQE_SKIP_SUCCESS}. */
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;
    /** A linked request's file is looked up when it starts, not at submission. */
    public static final int IORING_FEAT_LINKED_FILE = 1 << 12;
    /** {@code io_uring_register} takes a registered ring index. */
    public static final int IORING_FEAT_REG_REG_RING = 1 << 13;
    /** {@code IORING_RECVSEND_BUNDLE}. */
    public static final int IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
    /** {@code min_wait_usec} in {@code io_uring_getevents_arg}. */
    public static final int IORING_FEAT_MIN_TIMEOUT = 1 << 15;
    /** Reads and writes take attributes (integrity data). */
    public static final int IORING_FEAT_RW_ATTR = 1 << 16;
    /** {@code IORING_ENTER_NO_IOWAIT}. */
    public static final int IORING_FEAT_NO_IOWAIT = 1 << 17;

    // enum io_uring_register_op
    /** Register fixed buffers. */
    public static final int IORING_REGISTER_BUFFERS = 0;
    /** Drop the fixed buffers. */
    public static final int IORING_UNREGISTER_BUFFERS = 1;
    /** Register a file table. */
    public static final int IORING_REGISTER_FILES = 2;
    /** Drop the file table. */
    public static final int IORING_UNREGISTER_FILES = 3;
    /** Signal an eventfd on completions. */
    public static final int IORING_REGISTER_EVENTFD = 4;
    /** Stop signalling the eventfd. */
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    /** Update slots of the file table. */
    public static final int IORING_REGISTER_FILES_UPDATE = 6;
    /** Signal an eventfd only on completions of requests that went async. */
    public static final int IORING_REGISTER_EVENTFD_ASYNC = 7;
    /** Ask which opcodes the kernel supports. */
    public static final int IORING_REGISTER_PROBE = 8;
    /** Register the current credentials for requests to use. */
    public static final int IORING_REGISTER_PERSONALITY = 9;
    /** Drop registered credentials. */
    public static final int IORING_UNREGISTER_PERSONALITY = 10;
    /** Restrict the opcodes and flags a disabled ring will accept. */
    public static final int IORING_REGISTER_RESTRICTIONS = 11;
    /** Enable a ring set up with {@code IORING_SETUP_R_DISABLED}. */
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    /** Register a file table, sparse or with tags. */
    public static final int IORING_REGISTER_FILES2 = 13;
    /** Update slots of the file table, with tags. */
    public static final int IORING_REGISTER_FILES_UPDATE2 = 14;
    /** Register fixed buffers, sparse or with tags. */
    public static final int IORING_REGISTER_BUFFERS2 = 15;
    /** Update fixed buffers, with tags. */
    public static final int IORING_REGISTER_BUFFERS_UPDATE = 16;
    /** Set the CPU affinity of async workers. */
    public static final int IORING_REGISTER_IOWQ_AFF = 17;
    /** Reset the CPU affinity of async workers. */
    public static final int IORING_UNREGISTER_IOWQ_AFF = 18;
    /** Cap the number of async workers. */
    public static final int IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
    /** Register ring fds with the calling thread. */
    public static final int IORING_REGISTER_RING_FDS = 20;
    /** Drop registered ring fds. */
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    /** Register a provided-buffer ring. */
    public static final int IORING_REGISTER_PBUF_RING = 22;
    /** Drop a provided-buffer ring. */
    public static final int IORING_UNREGISTER_PBUF_RING = 23;
    /** Cancel requests and wait until they are gone. */
    public static final int IORING_REGISTER_SYNC_CANCEL = 24;
    /** Set the slots of the file table the kernel allocates from. */
    public static final int IORING_REGISTER_FILE_ALLOC_RANGE = 25;
    /** Read a buffer ring's head. */
    public static final int IORING_REGISTER_PBUF_STATUS = 26;
    /** Set up NAPI busy polling. */
    public static final int IORING_REGISTER_NAPI = 27;
    /** Stop NAPI busy polling. */
    public static final int IORING_UNREGISTER_NAPI = 28;
    /** Choose the clock waits are measured on. */
    public static final int IORING_REGISTER_CLOCK = 29;
    /** Copy the fixed buffers of another ring. */
    public static final int IORING_REGISTER_CLONE_BUFFERS = 30;
    /** Post a completion on a ring without a ring of one's own. */
    public static final int IORING_REGISTER_SEND_MSG_RING = 31;
    /** Register a zero-copy receive queue of a network interface. */
    public static final int IORING_REGISTER_ZCRX_IFQ = 32;
    /** Resize the SQ and CQ. */
    public static final int IORING_REGISTER_RESIZE_RINGS = 33;
    /** Register a memory region (for wait arguments). */
    public static final int IORING_REGISTER_MEM_REGION = 34;
    /** Ask what the kernel supports. */
    public static final int IORING_REGISTER_QUERY = 35;
    /** One past the highest opcode of this table. */
    public static final int IORING_REGISTER_LAST = 36;
    /** ORed into the opcode: the fd is a registered ring index. */
    public static final int IORING_REGISTER_USE_REGISTERED_RING = 1 << 31;

    // io-wq worker categories
    /** Bounded async workers (regular files). */
    public static final int IO_WQ_BOUND = 0;
    /** Unbounded async workers (sockets, pipes). */
    public static final int IO_WQ_UNBOUND = 1;

    // io_uring_rsrc_register->flags
    /** Register a table of empty slots. */
    public static final int IORING_RSRC_REGISTER_SPARSE = 1 << 0;

    /** Skip updating fd indexes set to this value in the fd table. */
    public static final int IORING_REGISTER_FILES_SKIP = -2;

    // io_uring_probe_op->flags
    /** The kernel supports the opcode. */
    public static final int IO_URING_OP_SUPPORTED = 1 << 0;

    // enum io_uring_register_pbuf_ring_flags
    /** The kernel allocates the ring, to be mapped at {@link #IORING_OFF_PBUF_RING}. */
    public static final int IOU_PBUF_RING_MMAP = 1;
    /** Buffers are consumed a piece at a time. */
    public static final int IOU_PBUF_RING_INC = 2;

    // enum io_uring_napi_op (6.13), in io_uring_napi->opcode
    /** Register or unregister busy polling: the only operation before 6.13, where the field was padding. */
    public static final int IO_URING_NAPI_REGISTER_OP = 0;
    /** Add a NAPI id to the list polled with static tracking. */
    public static final int IO_URING_NAPI_STATIC_ADD_ID = 1;
    /** Remove a NAPI id from the list polled with static tracking. */
    public static final int IO_URING_NAPI_STATIC_DEL_ID = 2;

    // enum io_uring_napi_tracking_strategy (6.13), in io_uring_napi->op_param
    /** The NAPI ids to poll are those of the sockets the ring's requests use (what 6.9 did). */
    public static final int IO_URING_NAPI_TRACKING_DYNAMIC = 0;
    /** Only the NAPI ids added with {@link #IO_URING_NAPI_STATIC_ADD_ID} are polled. */
    public static final int IO_URING_NAPI_TRACKING_STATIC = 1;
    /** Busy polling is off. */
    public static final int IO_URING_NAPI_TRACKING_INACTIVE = 255;

    // enum io_uring_register_restriction_op
    /** Allow a register opcode. */
    public static final int IORING_RESTRICTION_REGISTER_OP = 0;
    /** Allow an SQE opcode. */
    public static final int IORING_RESTRICTION_SQE_OP = 1;
    /** Allow these SQE flags. */
    public static final int IORING_RESTRICTION_SQE_FLAGS_ALLOWED = 2;
    /** Require these SQE flags. */
    public static final int IORING_RESTRICTION_SQE_FLAGS_REQUIRED = 3;
    /** One past the highest restriction of this table. */
    public static final int IORING_RESTRICTION_LAST = 4;

    // enum io_uring_socket_op
    /** Bytes waiting to be read. */
    public static final int SOCKET_URING_OP_SIOCINQ = 0;
    /** Bytes not yet sent. */
    public static final int SOCKET_URING_OP_SIOCOUTQ = 1;
    /** {@code getsockopt(2)}. */
    public static final int SOCKET_URING_OP_GETSOCKOPT = 2;
    /** {@code setsockopt(2)}. */
    public static final int SOCKET_URING_OP_SETSOCKOPT = 3;
    /** Read transmit timestamps. */
    public static final int SOCKET_URING_OP_TX_TIMESTAMP = 4;

    /** Size of the kernel's sigset_t ({@code _NSIG / 8}), the {@code sigmask_sz} for EXT_ARG. */
    public static final int _NSIG_BYTES = 8;
}
