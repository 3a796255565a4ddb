package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_FD_FIXED;
import static dev.uring4j.ring.uapi.IoUringH.IORING_RECVSEND_POLL_FIRST;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.Probe;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Msghdr;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.ring.uapi.IoUringRecvmsgOut;
import dev.uring4j.runtime.internal.LoopUdpSocket;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.UdpConfig;

/**
 * A UDP socket on an io_uring loop.
 *
 * <p><b>Receive:</b> one multishot {@code recvmsg} with buffer selection stays armed. The msghdr
 * only reserves room: each datagram's provided buffer starts with {@code io_uring_recvmsg_out},
 * then {@code nameRoom} bytes for the sender's sockaddr, {@code controlRoom} for control data,
 * then the payload; {@code MSG_TRUNC} makes {@code payloadlen} the datagram's real length. The
 * handler gets views of those (no copy, no allocation) and the buffer is recycled when it
 * returns. {@code -ENOBUFS} (every buffer in use) moves to the next buffer group and re-arms, as
 * TCP does: the datagrams wait in the socket meanwhile. A completion without
 * {@code IORING_CQE_F_MORE} re-arms, going straight to poll unless
 * {@code IORING_CQE_F_SOCK_NONEMPTY} said more is waiting.
 *
 * <pre>
 *  provided buffer: | io_uring_recvmsg_out (16) | name (nameRoom) | control (controlRoom) | payload ... |
 *                                                                    cqe.res covers all of it ---------^
 * </pre>
 *
 * <p><b>Send:</b> {@code UdpSendQueue}; at the loop's flush phase every queued datagram goes out
 * in one send each ({@code IORING_OP_SEND} with the address in the SQE), or one {@code sendmsg}
 * per GSO run. A GSO run the kernel refuses ({@code EIO},
 * {@code EINVAL}, {@code EMSGSIZE}: checksums off, a path MTU below the segment, an IPsec route)
 * turns GSO off for the socket and is sent again datagram by datagram, so nothing is lost to it.
 *
 * <p><b>Close:</b> queued datagrams are sent, the receive is cancelled, and once the last
 * completion is in, the descriptor is closed and the buffers the kernel wrote into are freed.
 * Owned by the loop's thread.
 */
public final class UringUdpSocket extends LoopUdpSocket {
    private static final int HEADER = (int) IoUringRecvmsgOut.LAYOUT.byteSize();
    /** The send-slot field value of a cancel's user_data: above every slot a queue can have. */
    private static final int CANCEL_SLOT = 0xFFFF;
    /** A GSO segment must fit the path MTU: 1500-byte Ethernet less the IPv6 and UDP headers fits every common path. */
    private static final int GSO_MAX_SEGMENT = 1500 - 40 - 8;

    private final UringEventLoop uring;
    final int index;
    final int generation;
    /** The socket's direct-descriptor slot when {@link #fixed}, else its fd. */
    private final int fd;
    private final boolean fixed;
    private final MemorySegment msghdr;
    private final int nameRoom;
    private final int controlRoom;
    private final int headerBytes;
    private final BufferGroups groups;
    private final boolean ownGroups;
    private final int firstOwnBgid;
    private final long udRecv;
    private final long udCancel;
    private boolean gso;
    /** Whether the kernel takes a datagram's destination in the SQE ({@link Probe.Feature#SENDTO}). */
    private final boolean sendto;
    private int group;
    private int inflight;
    private boolean recvArmed;
    private boolean cancelSubmitted;
    boolean dirty;

    /**
     * Takes over the bound (and maybe connected) {@code fd}; runs on the loop's thread, which must
     * register any buffer groups (the ring is {@code SINGLE_ISSUER}).
     */
    UringUdpSocket(UringEventLoop loop, int index, int generation, int fd, int family, InetSocketAddress local,
                   InetSocketAddress remote, boolean gsoAvailable, int receiveBufferBytes, UdpConfig config)
            throws ErrnoException {
        super(loop, family, local, remote, receiveBufferBytes, config, Arena.ofShared());
        this.uring = loop;
        this.index = index;
        this.generation = generation;
        this.gso = gsoAvailable && config.gso();
        this.sendto = Probe.current().supports(Probe.Feature.SENDTO);
        this.nameRoom = family == LibC.AF_INET ? SockAddr.SIZEOF_IN : SockAddr.SIZEOF_IN6;
        this.controlRoom = (config.controlRoom() + 7) & ~7;
        this.headerBytes = HEADER + nameRoom + controlRoom;
        this.udRecv = UserData.encode(UserData.OP_RECVMSG, generation, index);
        this.udCancel = UserData.encode(UserData.OP_SENDMSG, generation, index | CANCEL_SLOT << 16);
        BufferGroups own = null;
        int bgid = -1;
        try {
            this.msghdr = arena.allocate(Msghdr.LAYOUT);
            msghdr.set(JAVA_INT, Msghdr.OFFSET_msg_namelen, nameRoom);
            msghdr.set(JAVA_INT, Msghdr.OFFSET_msg_controllen, controlRoom);
            int need = headerBytes + maxDatagram;
            if (need <= loop.buffers.bufferSize()) {
                // The datagram fits the loop's buffers: share them with its TCP connections, so
                // buffer memory follows the loop's throughput, not the number of endpoints.
                this.groups = loop.buffers;
                this.ownGroups = false;
                this.group = loop.buffers.assign();
            } else {
                // A provided buffer must hold the header, name, control room and the whole
                // datagram, or the kernel cuts the datagram (MSG_TRUNC) and the rest is lost. An
                // incrementally consumed buffer (IOU_PBUF_RING_INC) would hand the kernel whatever
                // is left of it, which may be too short: recvmsg fails (EFAULT) or cuts, unless
                // the ring is registered with a minimum left (min_left, newer than this binding).
                int size = (need + 63) & ~63;
                int count = config.receiveBuffers() > 0 ? config.receiveBuffers()
                        : Math.max(16, Math.min(1024, Integer.highestOneBit((16 << 20) / size)));
                int groupCount = Math.max(1, loop.uringOptions.bufferGroups());
                bgid = loop.udp.reserveBgids(groupCount);
                own = new BufferGroups(loop, loop.ring, groupCount, count, size, bgid,
                        loop.paths.bufferRings, false);
                this.groups = own;
                this.ownGroups = true;
                this.group = own.assign();
            }
            this.firstOwnBgid = bgid;
            // Set up with system calls, the socket lives on as a direct descriptor: receives and
            // sends skip the fd lookup. A full table keeps the normal fd.
            int direct = loop.paths.direct ? loop.registerDirect(fd) : -1;
            if (direct >= 0) {
                LibC.close(fd);
            }
            this.fixed = direct >= 0;
            this.fd = fixed ? direct : fd;
        } catch (ErrnoException | RuntimeException | Error e) {
            if (own != null) {
                own.close();
            }
            if (bgid >= 0) {
                loop.udp.releaseBgids(bgid, Math.max(1, loop.uringOptions.bufferGroups()));
            }
            arena.close();
            throw e;
        }
        holdsDescriptor();
    }

    @Override
    protected void startReceiving() {
        arm(false);
    }

    @Override
    protected void markDirty() {
        uring.udp.markDirty(this);
    }

    private void arm(boolean pollFirst) {
        Sqe s = uring.sqe().prepRecvmsgMultishot(fd, msghdr.address(), LibC.MSG_TRUNC)
                .bufferSelect(groups.bgid(group)).userData(udRecv);
        if (fixed) {
            s.fixedFile();
        }
        if (pollFirst) {
            s.addIoprio(IORING_RECVSEND_POLL_FIRST);
        }
        recvArmed = true;
        inflight++;
    }

    // ------------------------------------------------------------------ completions

    void onCompletion(int op, int sendSlot, int res, int flags) {
        if (op == UserData.OP_RECVMSG) {
            onRecvmsg(res, flags);
        } else if (sendSlot == CANCEL_SLOT) {
            inflight--;
        } else if (queue.isSending(sendSlot)) {
            onSendmsg(sendSlot, res);
        } else {
            uring.dropped(UserData.encode(op, generation, index | sendSlot << 16), "no send in flight in slot " + sendSlot);
            return;
        }
        if (state == CLOSING) {
            closeWhenIdle();
        }
    }

    private void onRecvmsg(int res, int flags) {
        if (!Cqe.more(flags)) {
            recvArmed = false;
            inflight--;
        }
        boolean pollFirst = false;
        if (res >= 0) {
            deliver(res, flags);
            pollFirst = !Cqe.sockNonEmpty(flags);
        } else if (res == -Errno.ENOBUFS) {
            // Every buffer of the group is in use: the datagrams stay queued in the socket. Move to
            // the next group and re-arm (the reference page's round-robin recovery).
            exhausted++;
            uring.bufferRingExhausted++;
            group = groups.next(group);
        } else if (res != -Errno.ECANCELED) {
            receiveFailed(-res);
        }
        if (!recvArmed && state == OPEN) {
            arm(pollFirst);
        }
    }

    private void deliver(int res, int flags) {
        int bid = Cqe.bufferId(flags);
        if (!Cqe.hasBuffer(flags) || !groups.isValid(group, bid) || res > groups.bufferSize() || res < headerBytes) {
            uring.dropped(udRecv, "recvmsg of " + res + " bytes with buffer flags 0x" + Integer.toHexString(flags)
                    + " outside group " + groups.bgid(group));
            if (Cqe.hasBuffer(flags) && groups.isValid(group, bid)) {
                groups.take(group, bid);
                recycle(bid);
            }
            return;
        }
        groups.take(group, bid);
        MemorySegment memory = groups.buffer(group, bid);
        long base = 0;
        int controllen = memory.get(JAVA_INT, base + IoUringRecvmsgOut.OFFSET_controllen);
        int payloadlen = memory.get(JAVA_INT, base + IoUringRecvmsgOut.OFFSET_payloadlen);
        int msgFlags = memory.get(JAVA_INT, base + IoUringRecvmsgOut.OFFSET_flags);
        // As io_uring_recvmsg_payload_length(): what the buffer holds after the reserved rooms.
        int kept = res - headerBytes;
        int length = Math.min(kept, maxDatagram);
        int full = Math.max(payloadlen, kept);
        sender.wrap(memory, base + HEADER);
        datagram.wrap(memory, base + headerBytes, length, full, msgFlags, base + HEADER + nameRoom,
                Math.min(controllen, controlRoom));
        deliver();
        groups.wipe(group, bid, 0, res);
        recycle(bid);
    }

    private void recycle(int bid) {
        groups.recycle(group, bid);
        if (ownGroups) {
            // Our own groups are published in our flush, before the loop waits again.
            markDirty();
        }
    }

    private void onSendmsg(int slot, int res) {
        inflight--;
        int k = queue.runLength(slot);
        if (res >= 0) {
            datagramsSent += k;
            bytesSent += res;
        } else if (k > 1 && gso && (res == -Errno.EIO || res == -Errno.EINVAL || res == -Errno.EMSGSIZE)) {
            gso = false;
            TransportLoop.LOG.log(System.Logger.Level.INFO, "UDP GSO refused on " + this + " (" + Errno.describe(res)
                    + "); sending datagram by datagram from now on");
            for (int j = 0; j < k; j++) {
                int s = queue.slotAfter(slot, j);
                queue.single(s);
                submit(s);
            }
            return;
        } else if (res != -Errno.ECANCELED) {
            sendFailed(slot, k, -res);
        }
        queue.complete(slot, k);
    }

    // ------------------------------------------------------------------ send

    /** The loop's flush phase: publishes recycled buffers of our own groups and submits every queued datagram. */
    void flush() {
        dirty = false;
        if (ownGroups) {
            groups.publish();
        }
        while (queue.hasUnsubmitted()) {
            submit(queue.nextRun(gso, GSO_MAX_SEGMENT, maxPayload));
        }
        if (state == CLOSING) {
            closeWhenIdle();
        }
    }

    /**
     * One datagram goes out as {@code IORING_OP_SEND} with the destination in the SQE
     * ({@code io_uring_prep_sendto}, Linux 6.1): no msghdr and iovec for the kernel to copy in,
     * which makes each datagram cheaper than a {@code sendmsg}. Before 6.1, and for a GSO run,
     * which needs its {@code UDP_SEGMENT} control message, it is a {@code sendmsg}.
     */
    private void submit(int slot) {
        Sqe s = uring.sqe();
        if (queue.runLength(slot) == 1) {
            if (queue.addressLength(slot) == 0) {
                s.prepSend(fd, queue.payloadAddress(slot), queue.length(slot), 0);
            } else if (sendto) {
                s.prepSendto(fd, queue.payloadAddress(slot), queue.length(slot), 0, queue.addressAddress(slot),
                        queue.addressLength(slot));
            } else {
                s.prepSendmsg(fd, queue.singleMsghdr(slot), 0);
            }
        } else {
            s.prepSendmsg(fd, queue.msghdrAddress(slot), 0);
        }
        s.userData(UserData.encode(UserData.OP_SENDMSG, generation, index | slot << 16));
        if (fixed) {
            s.fixedFile();
        }
        uring.udp.sendPrepared();
        inflight++;
        sends++;
        if (queue.runLength(slot) > 1) {
            gsoSends++;
        }
    }

    // ------------------------------------------------------------------ closing

    /** Cancels everything the kernel holds for the socket (a loop shutdown past its deadline). */
    void abort() {
        if (state == CLOSED) {
            return;
        }
        state = CLOSING;
        if (inflight > 0 && !cancelSubmitted) {
            uring.sqe().prepCancelFd(fd, IORING_ASYNC_CANCEL_ALL | (fixed ? IORING_ASYNC_CANCEL_FD_FIXED : 0))
                    .userData(udCancel);
            cancelSubmitted = true;
            inflight++;
        }
        closeWhenIdle();
    }

    private void closeWhenIdle() {
        if (queue.hasUnsubmitted()) {
            return;
        }
        if (recvArmed && !cancelSubmitted) {
            uring.sqe().prepCancel64(udRecv, 0).userData(udCancel);
            cancelSubmitted = true;
            inflight++;
        }
        if (inflight == 0 && state == CLOSING) {
            // Every operation has completed: the kernel no longer touches our memory.
            freeNative();
            uring.udp.released(this);
            closed();
        }
    }

    /** Closes the descriptor and frees buffers and queues: only once nothing in flight can use them. */
    void freeNative() {
        if (fixed) {
            uring.unregisterDirect(fd);
        } else {
            LibC.close(fd);
        }
        peers.clear();
        if (ownGroups) {
            groups.close();
            uring.udp.releaseBgids(firstOwnBgid, groups.groups());
        }
        arena.close();
    }

    /** After the loop's final drain (an abnormal exit): frees what the socket holds, then tells the handler. */
    void freeAfterDrain() {
        freeNative();
        closed();
    }

    /** The loop's final drain cancels and waits for what the kernel holds; then {@link #freeNative()} lets go. */
    @Override
    protected void closeAfterLoopDeath() {
    }

    @Override
    protected String id() {
        return "udp#" + index + "." + generation;
    }
}
