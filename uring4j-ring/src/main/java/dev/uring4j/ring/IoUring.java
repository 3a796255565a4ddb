package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ENTER_EXT_ARG;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ENTER_GETEVENTS;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ENTER_REGISTERED_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ENTER_SQ_WAIT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ENTER_SQ_WAKEUP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_FEAT_EXT_ARG;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_CQE32;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_IOPOLL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_NO_SQARRAY;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQE128;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQPOLL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SQ_CQ_OVERFLOW;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SQ_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH._NSIG_BYTES;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Syscalls;
import dev.uring4j.ring.uapi.IoUringGeteventsArg;
import dev.uring4j.ring.uapi.IoUringParams;
import dev.uring4j.ring.uapi.IoUringSqe;
import dev.uring4j.ring.uapi.KernelTimespec;

/**
 * One io_uring instance: its fd, the mapped submission and completion queues, and the calls
 * liburing makes on a {@code struct io_uring}.
 *
 * <p><b>Thread.</b> Not thread-safe: one thread prepares, submits and reaps, which is also what
 * {@code IORING_SETUP_SINGLE_ISSUER} and {@code DEFER_TASKRUN} require of the kernel side (with
 * those flags the creating thread is the only one allowed to submit). {@link #fd()} may be used
 * from other rings ({@code msg_ring}).
 *
 * <p><b>Lifetime.</b> {@link #close()} unmaps the rings and closes the fd; call it on the ring's
 * thread. An {@link Sqe} or queue used after it throws {@link IllegalStateException} instead of
 * touching the unmapped memory. Memory that in-flight operations read or write (buffers, buffer
 * rings, timespecs) must stay valid until each operation's last completion; the binding does not
 * track operations, the runtime does.
 *
 * <p><b>Allocation.</b> Setup allocates; after it, {@link #getSqe}, the prep helpers,
 * {@link #submit}, {@link #submitAndWait} and {@link #forEachCqe} allocate nothing.
 */
public final class IoUring implements AutoCloseable {
    private final Arena arena;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final boolean sqpoll;
    private final boolean iopoll;
    /** Reused io_uring_getevents_arg and __kernel_timespec for timed waits. */
    private final MemorySegment extArg;
    private final MemorySegment timespec;

    /** Index from IORING_REGISTER_RING_FDS, valid only on the thread that registered it. */
    private int registeredIndex = -1;
    private Thread registeredThread;
    private boolean closed;

    /** A ring that {@link IoUringBuilder} has set up and mapped; it owns {@code arena} and {@code fd}. */
    IoUring(Arena arena, int fd, MemorySegment params, MemorySegment sqRing, MemorySegment cqRing, MemorySegment sqes) {
        this.arena = arena;
        this.fd = fd;
        this.setupFlags = params.get(JAVA_INT, IoUringParams.OFFSET_flags);
        this.features = params.get(JAVA_INT, IoUringParams.OFFSET_features);
        this.sqEntries = params.get(JAVA_INT, IoUringParams.OFFSET_sq_entries);
        this.cqEntries = params.get(JAVA_INT, IoUringParams.OFFSET_cq_entries);
        this.sqpoll = (setupFlags & IORING_SETUP_SQPOLL) != 0;
        this.iopoll = (setupFlags & IORING_SETUP_IOPOLL) != 0;
        int sqeSize = (setupFlags & IORING_SETUP_SQE128) != 0 ? 128 : (int) IoUringSqe.LAYOUT.byteSize();
        this.sq = new SubmissionQueue(sqRing, params, sqes, sqeSize, sqpoll,
                (setupFlags & IORING_SETUP_NO_SQARRAY) != 0);
        this.cq = new CompletionQueue(cqRing, params, (setupFlags & IORING_SETUP_CQE32) != 0);
        this.extArg = arena.allocate(IoUringGeteventsArg.LAYOUT);
        this.timespec = arena.allocate(KernelTimespec.LAYOUT);
        extArg.set(JAVA_INT, IoUringGeteventsArg.OFFSET_sigmask_sz, _NSIG_BYTES);
        extArg.set(JAVA_LONG, IoUringGeteventsArg.OFFSET_ts, timespec.address());
    }

    /**
     * {@code io_uring_queue_init}: a ring with {@code entries} SQEs and the kernel's defaults for
     * everything else.
     *
     * @param entries SQEs, 1..32768; the kernel rounds up to a power of two
     * @return the new ring, owned by the caller
     * @throws ErrnoException when the kernel refuses the setup; the message says why and what to do
     */
    public static IoUring setup(int entries) throws ErrnoException {
        return builder().entries(entries).build();
    }

    /**
     * Settings for a new ring, from the kernel's defaults; {@link IoUringBuilder#build()} sets it up.
     *
     * @return a new builder
     */
    public static IoUringBuilder builder() {
        return new IoUringBuilder();
    }

    // ---------------------------------------------------------------- submission

    /**
     * {@code io_uring_get_sqe}: the next free SQE. It never submits: when the SQ is full the caller
     * decides when to enter the kernel.
     *
     * @return the entry, to be prepared with one of its {@code prep} helpers before anything else,
     *         or {@code null} when the SQ is full
     */
    public Sqe getSqe() {
        return sq.getSqe();
    }

    /**
     * {@code io_uring_submit}: submits the prepared SQEs. Enters the kernel only when it has to: to
     * submit without SQPOLL, to wake a sleeping SQPOLL thread, to reap polled I/O (IOPOLL), or to
     * flush overflowed completions or task work.
     *
     * @return the number submitted (0 when the kernel answered {@code EBUSY} or {@code EAGAIN}:
     *         completions must be reaped first, the SQEs stay queued), or {@code -errno}
     */
    public int submit() {
        return submitInternal(sq.flush(), 0, false);
    }

    /**
     * {@code io_uring_submit_and_get_events}: submits and, without waiting, runs pending task work
     * and flushes overflowed completions, so completions that are ready get posted (on a
     * {@code DEFER_TASKRUN} ring they are otherwise only posted while waiting).
     *
     * @return as {@link #submit()}
     */
    public int submitAndGetEvents() {
        return submitInternal(sq.flush(), 0, true);
    }

    /**
     * {@code io_uring_submit_and_wait}: submits, then waits until at least {@code waitNr}
     * completions are ready, in one {@code io_uring_enter}.
     *
     * @param waitNr completions to wait for; 0 does not wait
     * @return the number submitted, or {@code -EINTR}; {@code -EBUSY} and {@code -EAGAIN}
     *         (completions must be reaped first) are returned as 0 submitted, the SQEs stay queued
     */
    public int submitAndWait(int waitNr) {
        return submitInternal(sq.flush(), waitNr, false);
    }

    /**
     * {@code io_uring_submit_and_wait_timeout}: as {@link #submitAndWait(int)}, but gives up after
     * {@code timeoutNs} ({@code IORING_ENTER_EXT_ARG}, no timeout SQE).
     *
     * @param waitNr    completions to wait for
     * @param timeoutNs relative timeout; negative waits without one
     * @return the number submitted, or {@code -ETIME} when the wait timed out with nothing
     *         submitted, or another {@code -errno} as {@link #submitAndWait(int)}
     * @throws UnsupportedOperationException on a kernel without {@code IORING_FEAT_EXT_ARG} (5.11)
     */
    public int submitAndWait(int waitNr, long timeoutNs) {
        return submitAndWait(waitNr, timeoutNs, 0);
    }

    /**
     * As {@link #submitAndWait(int, long)}, with {@code min_wait_usec} (6.12,
     * {@code IORING_FEAT_MIN_TIMEOUT}): after the first completion, wait at most that long for
     * {@code waitNr}, batching completions that arrive close together.
     *
     * @param waitNr      completions to wait for
     * @param timeoutNs   relative timeout; negative waits without one
     * @param minWaitUsec microseconds to wait for more once one completion is ready; 0 for none
     * @return as {@link #submitAndWait(int, long)}
     * @throws UnsupportedOperationException on a kernel without {@code IORING_FEAT_EXT_ARG} (5.11)
     */
    public int submitAndWait(int waitNr, long timeoutNs, int minWaitUsec) {
        if (timeoutNs < 0 && minWaitUsec == 0) {
            return submitAndWait(waitNr);
        }
        if ((features & IORING_FEAT_EXT_ARG) == 0) {
            throw new UnsupportedOperationException("timed waits need IORING_FEAT_EXT_ARG (Linux 5.11)");
        }
        int submitted = sq.flush();
        if (timeoutNs >= 0) {
            timespec.set(JAVA_LONG, KernelTimespec.OFFSET_tv_sec, timeoutNs / 1_000_000_000L);
            timespec.set(JAVA_LONG, KernelTimespec.OFFSET_tv_nsec, timeoutNs % 1_000_000_000L);
            extArg.set(JAVA_LONG, IoUringGeteventsArg.OFFSET_ts, timespec.address());
        } else {
            extArg.set(JAVA_LONG, IoUringGeteventsArg.OFFSET_ts, 0L);
        }
        extArg.set(JAVA_INT, IoUringGeteventsArg.OFFSET_min_wait_usec, minWaitUsec);
        int flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG;
        if (sq.needsEnter(submitted) && sqpoll) {
            flags |= IORING_ENTER_SQ_WAKEUP;
        }
        int r = enter(submitted, waitNr, flags, extArg.address(), extArg.byteSize());
        sq.consumed(r);
        return busyToZero(r);
    }

    /**
     * {@code io_uring_get_events}: runs pending task work and flushes overflowed completions
     * without waiting. Needed before peeking on a {@code DEFER_TASKRUN} ring, whose completions
     * are only posted when the ring is entered to wait.
     *
     * @return 0, or {@code -errno} ({@code EBUSY} and {@code EAGAIN} count as 0)
     */
    public int getEvents() {
        return busyToZero(enter(0, 0, IORING_ENTER_GETEVENTS, 0, 0));
    }

    /**
     * {@code io_uring_sqring_wait} (5.10): with {@code IORING_SETUP_SQPOLL}, where the poller
     * thread rather than {@link #submit} consumes the SQ, waits until it has made room, so that a
     * loop finding {@link #getSqe} full waits here and retries instead of spinning. Prepared
     * entries are published first (as {@code submit} would), since only those can be consumed.
     *
     * @return 0 at once without SQPOLL or when there is room; otherwise 0 once there is, or
     *         {@code -errno}
     */
    public int sqringWait() {
        if (!sqpoll) {
            return 0;
        }
        int pending = sq.flush();
        while (pending == sq.entries()) {
            int flags = IORING_ENTER_SQ_WAIT;
            if (sq.needsEnter(pending)) {
                // A sleeping poller would never make room: wake it in the same enter.
                flags |= IORING_ENTER_SQ_WAKEUP;
            }
            int r = enter(0, 0, flags, 0, 0);
            if (r < 0) {
                return r;
            }
            // Task work or a signal can end the kernel's wait before the poller made room.
            pending = sq.pending();
        }
        return 0;
    }

    private int submitInternal(int submitted, int waitNr, boolean getEvents) {
        boolean cqNeedsEnter = getEvents || waitNr > 0 || iopoll || cqNeedsFlush();
        int flags = 0;
        boolean sqNeedsEnter = sq.needsEnter(submitted);
        if (sqNeedsEnter && sqpoll) {
            flags |= IORING_ENTER_SQ_WAKEUP;
        }
        if (!sqNeedsEnter && !cqNeedsEnter) {
            return submitted;
        }
        if (cqNeedsEnter) {
            flags |= IORING_ENTER_GETEVENTS;
        }
        int r = enter(submitted, waitNr, flags, 0, 0);
        sq.consumed(r);
        return busyToZero(r);
    }

    private static int busyToZero(int r) {
        // EBUSY/EAGAIN: the CQ (or its overflow list) is full, so the kernel refused new work
        // until completions are reaped. Nothing was consumed; the caller reaps and resubmits.
        return r == -Errno.EBUSY || r == -Errno.EAGAIN ? 0 : r;
    }

    /**
     * {@code io_uring_enter(2)} on this ring, through the registered ring fd when the calling
     * thread registered one: the raw call, for waits the other methods do not cover.
     *
     * @param toSubmit    SQEs to submit (already published)
     * @param minComplete completions to wait for, with {@code IORING_ENTER_GETEVENTS}
     * @param flags       {@code IORING_ENTER_*} flags
     * @param arg         address of a sigset or {@code io_uring_getevents_arg}, 0 for none
     * @param argSize     size of what {@code arg} points to
     * @return the kernel's result: SQEs consumed, or {@code -errno}
     */
    public int enter(int toSubmit, int minComplete, int flags, long arg, long argSize) {
        int enterFd = fd;
        if (registeredThread == Thread.currentThread()) {
            enterFd = registeredIndex;
            flags |= IORING_ENTER_REGISTERED_RING;
        }
        return Syscalls.io_uring_enter(enterFd, toSubmit, minComplete, flags, arg, argSize);
    }

    // ---------------------------------------------------------------- completion

    /**
     * Hands every ready completion to {@code handler} and consumes them; see
     * {@link CompletionQueue#forEach}.
     *
     * @param handler receives each completion's fields, on this thread
     * @return how many completions were handed over
     */
    public int forEachCqe(CqeHandler handler) {
        return cq.forEach(handler);
    }

    /** {@return completions posted and not yet consumed ({@code io_uring_cq_ready})} */
    public int cqReady() {
        return cq.ready();
    }

    /**
     * {@code io_uring_cq_advance}: marks completions read in place consumed.
     *
     * @param n completions to consume, at most {@link #cqReady()}
     */
    public void cqAdvance(int n) {
        cq.advance(n);
    }

    /**
     * {@code io_uring_cq_has_overflow}: the kernel holds completions it could not post because the
     * CQ was full ({@code IORING_SQ_CQ_OVERFLOW}). They are flushed into the CQ by the next enter
     * with {@code GETEVENTS} once there is room; {@link #submit} does that by itself.
     *
     * @return whether completions wait in the kernel's overflow list
     */
    public boolean cqHasOverflow() {
        return (sq.flags() & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /**
     * {@code cq_ring_needs_flush}: overflowed completions or task work wait for an enter.
     *
     * @return whether {@code IORING_SQ_CQ_OVERFLOW} or {@code IORING_SQ_TASKRUN} is set
     */
    public boolean cqNeedsFlush() {
        return (sq.flags() & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) != 0;
    }

    /**
     * {@code IORING_SQ_TASKRUN} (with {@code IORING_SETUP_TASKRUN_FLAG}): task work waits for an
     * enter.
     *
     * @return whether the kernel set the flag
     */
    public boolean taskrunPending() {
        return (sq.flags() & IORING_SQ_TASKRUN) != 0;
    }

    /** {@return the submission queue, for what this class does not expose (space left, dropped entries)} */
    public SubmissionQueue sq() {
        return sq;
    }

    /** {@return the completion queue, for reading completions in place and its counters} */
    public CompletionQueue cq() {
        return cq;
    }

    // ---------------------------------------------------------------- registration

    /**
     * {@code io_uring_register(2)}: the raw call, for opcodes without a helper here.
     *
     * @param opcode an {@code IORING_REGISTER_*} opcode
     * @param arg    the opcode's argument
     * @param nrArgs the opcode's count
     * @return the kernel's result, {@code -errno} on failure
     * @throws IllegalStateException when the ring is closed, since its fd number may already belong
     *                               to another file
     */
    public int register(int opcode, MemorySegment arg, int nrArgs) {
        if (closed) {
            // The fd number may already belong to another file, even another ring.
            throw new IllegalStateException("io_uring_register(" + opcode + ") on a closed ring (fd " + fd
                    + " was closed by close()); register on an open ring");
        }
        return Syscalls.io_uring_register(fd, opcode, arg, nrArgs);
    }

    /**
     * {@code io_uring_register_ring_fd} (5.18): registers the ring fd with the calling thread so its
     * enters pass {@code IORING_ENTER_REGISTERED_RING} and skip the fd table lookup.
     *
     * @throws ErrnoException        when the kernel refuses the registration
     * @throws IllegalStateException when the ring fd is already registered
     */
    public void registerRingFd() throws ErrnoException {
        if (registeredThread != null) {
            throw new IllegalStateException("the ring fd is already registered by " + registeredThread.getName());
        }
        registeredIndex = Register.ringFd(this);
        registeredThread = Thread.currentThread();
    }

    /**
     * {@code io_uring_unregister_ring_fd}; does nothing when the ring fd is not registered.
     *
     * @throws ErrnoException        when the kernel refuses
     * @throws IllegalStateException when called on another thread than the one that registered
     */
    public void unregisterRingFd() throws ErrnoException {
        if (registeredThread == null) {
            return;
        }
        if (registeredThread != Thread.currentThread()) {
            throw new IllegalStateException("the ring fd was registered by thread " + registeredThread.getName()
                    + " and only that thread can unregister it");
        }
        Register.unregisterRingFd(this, registeredIndex);
        registeredThread = null;
        registeredIndex = -1;
    }

    /** {@return whether the calling thread enters through a registered ring fd} */
    public boolean isRingFdRegistered() {
        return registeredThread == Thread.currentThread();
    }

    /**
     * {@code io_uring_register_files_sparse} (5.19): a table of {@code nr} empty direct-descriptor
     * slots, for accept/socket direct and {@code msg_ring} fd passing.
     *
     * @param nr slots in the table
     * @throws ErrnoException when the kernel refuses the table (one is registered already:
     *                        {@code EBUSY})
     */
    public void registerFilesSparse(int nr) throws ErrnoException {
        Register.filesSparse(this, nr);
    }

    /**
     * {@code io_uring_register_file_alloc_range} (6.0): {@code IORING_FILE_INDEX_ALLOC} picks slots
     * only in {@code [offset, offset + len)}, leaving the rest for explicit use.
     *
     * @param offset first slot of the range
     * @param len    slots in the range
     * @throws ErrnoException when the kernel refuses the range
     */
    public void registerFileAllocRange(int offset, int len) throws ErrnoException {
        Register.fileAllocRange(this, offset, len);
    }

    /**
     * {@code io_uring_register_files_update}: puts normal fds into slots starting at {@code offset}.
     *
     * @param offset first slot to update
     * @param fds    the fds; {@code -1} clears a slot
     * @return how many slots were updated
     * @throws ErrnoException when the kernel refuses the update
     */
    public int registerFilesUpdate(int offset, int... fds) throws ErrnoException {
        return Register.filesUpdate(this, offset, fds);
    }

    /**
     * {@code io_uring_unregister_files}: drops the direct-descriptor table, closing what it holds.
     *
     * @throws ErrnoException when the kernel refuses ({@code ENXIO}: no table is registered)
     */
    public void unregisterFiles() throws ErrnoException {
        Register.unregisterFiles(this);
    }

    /**
     * {@code io_uring_register_buffers}: registers {@code buffers} as fixed buffers {@code 0..n-1}
     * for operations that take a {@code buf_index} ({@code IORING_RECVSEND_FIXED_BUF}, the
     * {@code _FIXED} reads and writes). The kernel pins their pages until
     * {@link #unregisterBuffers} or close, so the memory must stay valid that long. Pinned pages
     * count against {@code RLIMIT_MEMLOCK} unless the process has {@code CAP_IPC_LOCK}; over the
     * limit the kernel answers {@code ENOMEM} and the exception gives the limit and how to raise it.
     *
     * @param buffers native segments, at most 16384 of at most 1 GiB each
     * @throws ErrnoException           when the kernel refuses the buffers
     * @throws IllegalArgumentException when a buffer is on the Java heap
     */
    public void registerBuffers(MemorySegment... buffers) throws ErrnoException {
        Register.buffers(this, buffers);
    }

    /**
     * {@code io_uring_unregister_buffers}: unpins the fixed buffers registered by
     * {@link #registerBuffers}.
     *
     * @throws ErrnoException when the kernel refuses ({@code ENXIO}: none are registered)
     */
    public void unregisterBuffers() throws ErrnoException {
        Register.unregisterBuffers(this);
    }

    /**
     * {@code io_uring_register_napi} (6.9): each wait of this ring busy-polls the network device
     * queues (NAPI instances) of the sockets its requests use for up to {@code busyPollUsec}
     * before sleeping. The ids are tracked as requests are issued (dynamic tracking); a socket
     * without a NAPI id (loopback) adds nothing to poll.
     *
     * @param busyPollUsec   how long a wait busy-polls, in microseconds
     * @param preferBusyPoll keep the device's interrupts masked while the ring polls
     *                       ({@code SO_PREFER_BUSY_POLL})
     * @return the settings in force before, as the kernel copied them back
     * @throws ErrnoException           when the kernel refuses: {@code EINVAL} before 6.9 or on an
     *                                  {@code IORING_SETUP_IOPOLL} ring, {@code EOPNOTSUPP} when it
     *                                  was built without {@code CONFIG_NET_RX_BUSY_POLL}
     * @throws IllegalArgumentException when {@code busyPollUsec} is negative
     */
    public NapiSettings registerNapi(int busyPollUsec, boolean preferBusyPoll) throws ErrnoException {
        if (busyPollUsec < 0) {
            throw new IllegalArgumentException("busyPollUsec must not be negative, was " + busyPollUsec);
        }
        return Register.napi(this, busyPollUsec, preferBusyPoll);
    }

    /**
     * {@code io_uring_unregister_napi} (6.9): turns busy polling off for this ring.
     *
     * @return the settings in force before, as the kernel copied them back
     * @throws ErrnoException when the kernel refuses, as {@link #registerNapi}
     */
    public NapiSettings unregisterNapi() throws ErrnoException {
        return Register.unregisterNapi(this);
    }

    // ---------------------------------------------------------------- properties

    /** {@return the ring's fd (the target of {@code msg_ring} from other rings)} */
    public int fd() {
        return fd;
    }

    /** {@return the {@code IORING_SETUP_*} flags the ring was created with} */
    public int setupFlags() {
        return setupFlags;
    }

    /** {@return the {@code IORING_FEAT_*} bits the kernel reported at setup} */
    public int features() {
        return features;
    }

    /**
     * Whether the kernel reported every bit of {@code feature} at setup.
     *
     * @param feature {@code IORING_FEAT_*} bits
     * @return whether all of them are set
     */
    public boolean hasFeature(int feature) {
        return (features & feature) == feature;
    }

    /** {@return the SQ size the kernel chose: a power of two, at least what was asked} */
    public int sqEntries() {
        return sqEntries;
    }

    /** {@return the CQ size the kernel chose} */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * {@code io_uring_queue_exit}: unregisters the ring fd (if this thread registered it), unmaps
     * the rings and closes the fd. The kernel cancels what is still in flight; memory those
     * operations use must outlive that, which is the caller's responsibility.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (registeredThread == Thread.currentThread()) {
            try {
                unregisterRingFd();
            } catch (ErrnoException e) {
                // The registration dies with the thread's io_uring context anyway; closing goes on.
            }
        }
        closed = true;
        sq.close();
        cq.close();
        arena.close();
        LibC.close(fd);
    }

    /** {@return whether {@link #close()} has run} */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "IoUring[fd=" + fd + ", sq=" + sqEntries + ", cq=" + cqEntries + ", flags=" + FlagNames.setup(setupFlags)
                + "]";
    }

    /**
     * Why io_uring cannot be used in this process. The answer is computed once (by setting up and
     * closing a small ring) and cached.
     *
     * @return the cause, or {@code null} when a ring can be set up
     */
    public static UnavailabilityCause unavailabilityCause() {
        return UnavailabilityCause.ofThisProcess();
    }

    /** Requires {@code ring} to be open (argument checks in helpers). */
    static IoUring requireOpen(IoUring ring) {
        Objects.requireNonNull(ring, "ring");
        if (ring.closed) {
            throw new IllegalStateException("the ring is closed");
        }
        return ring;
    }
}
