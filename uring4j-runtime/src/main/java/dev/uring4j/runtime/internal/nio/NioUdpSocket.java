package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.internal.LoopUdpSocket;
import dev.uring4j.runtime.internal.PeerAddresses;
import dev.uring4j.runtime.internal.UdpConfig;

/**
 * A UDP socket on a NIO loop: a non-blocking {@link DatagramChannel} registered with the loop's
 * selector.
 *
 * <p><b>Receive:</b> on read readiness, up to {@value #RECEIVES_PER_READY} datagrams (then the
 * loop's other channels get their turn; the selector reports the socket again) are received one
 * by one into a buffer of 64 KiB, larger than any datagram, so the length of one longer than the
 * maximum datagram size is still known and it is delivered cut with {@code Datagram.isTruncated()}
 * as on io_uring. The sender is written as a {@code sockaddr} next to the payload only when the
 * JDK hands over a different address object: it keeps the previous sender's while the sender does
 * not change, and allocates a new one when it does (about 80 bytes; io_uring allocates nothing).
 *
 * <p><b>Send:</b> the same {@code UdpSendQueue} as io_uring; at the loop's flush phase each queued
 * datagram is sent with one {@code send}. When the socket buffer is full the rest wait for write
 * readiness, in order. The JDK sends to an {@link InetSocketAddress}, so one is made per
 * destination the first time it is seen and kept in a small cache keyed by the address bytes.
 * There is no GSO and no control data: a {@code DatagramChannel} offers neither.
 *
 * <p>Owned by the loop's thread.
 */
public final class NioUdpSocket extends LoopUdpSocket implements NioEventLoop.Ready {
    /** At least the largest UDP payload (65,527 bytes over IPv6): no datagram is longer. */
    private static final int RECEIVE_ROOM = 65_536;
    private static final int RECEIVES_PER_READY = 64;
    private static final int DESTINATIONS = 1024;

    private final NioEventLoop nio;
    private final long number;
    private final DatagramChannel channel;
    private SelectionKey key;
    /** The payload at 0, the sender's sockaddr at RECEIVE_ROOM, the JDK's form of it (scratch) after that. */
    private final MemorySegment receiveMemory;
    private final ByteBuffer receiveBuffer;
    /** A view of the whole send queue's byte ring, re-aimed per datagram. */
    private final ByteBuffer sendBuffer;
    /** The sender the JDK returned last: the same object while the sender does not change. */
    private SocketAddress lastSender;
    private final long[] destinationKeys = new long[DESTINATIONS * 4];
    private final InetSocketAddress[] destinations = new InetSocketAddress[DESTINATIONS];
    private boolean waitingForWrite;
    boolean dirty;
    int index = -1;

    NioUdpSocket(NioEventLoop loop, long number, DatagramChannel channel, int family, InetSocketAddress local,
                 InetSocketAddress remote, int receiveBufferBytes, UdpConfig config) throws IOException {
        super(loop, family, local, remote, receiveBufferBytes, config, Arena.ofShared());
        this.nio = loop;
        this.number = number;
        this.channel = channel;
        this.receiveMemory = arena.allocate(RECEIVE_ROOM + 2L * SockAddr.SIZEOF_STORAGE, 64);
        this.receiveBuffer = receiveMemory.asSlice(0, RECEIVE_ROOM).asByteBuffer();
        this.sendBuffer = queue.payloadMemory().asByteBuffer();
        try {
            this.key = loop.register(channel, 0, this);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        holdsDescriptor();
    }

    @Override
    protected void startReceiving() {
        key.interestOps(SelectionKey.OP_READ | (waitingForWrite ? SelectionKey.OP_WRITE : 0));
    }

    @Override
    protected void markDirty() {
        nio.markDirty(this);
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && waitingForWrite) {
            waitingForWrite = false;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            // The rest goes out in the flush phase: a close it finishes must not run inside the
            // selector's select (dropping the key there would be a select within a select).
            markDirty();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            receive();
        }
    }

    // ------------------------------------------------------------------ receive

    private void receive() {
        for (int i = 0; i < RECEIVES_PER_READY && state == OPEN; i++) {
            receiveBuffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(receiveBuffer);
            } catch (PortUnreachableException e) {
                // An ICMP port unreachable for a connected socket, reported (and cleared) by this read.
                receiveFailed(Errno.ECONNREFUSED);
                continue;
            } catch (IOException e) {
                receiveFailed(NioErrors.errno(e));
                continue;
            }
            if (from == null) {
                return;
            }
            if (from != lastSender) {
                lastSender = from;
                // In the socket's family, as io_uring's recvmsg writes it (IPv4 peers of a
                // dual-stack socket as ::ffff:a.b.c.d).
                SockAddr.write(receiveMemory.asSlice(RECEIVE_ROOM + SockAddr.SIZEOF_STORAGE), (InetSocketAddress) from);
                PeerAddresses.copyFor(receiveMemory, RECEIVE_ROOM + SockAddr.SIZEOF_STORAGE, family, receiveMemory,
                        RECEIVE_ROOM);
                sender.wrap(receiveMemory, RECEIVE_ROOM);
            }
            int n = receiveBuffer.position();
            int length = Math.min(n, maxDatagram);
            datagram.wrap(receiveMemory, 0, length, n, n > length ? LibC.MSG_TRUNC : 0, 0, 0);
            deliver();
        }
    }

    // ------------------------------------------------------------------ send

    /** The loop's flush phase: sends what is queued until the socket buffer is full; finishes a close. */
    void flush() {
        dirty = false;
        if (state == CLOSED) {
            return;
        }
        while (!waitingForWrite && queue.hasUnsubmitted()) {
            int slot = queue.oldestQueued();
            int length = queue.length(slot);
            int at = queue.payloadOffset(slot);
            sendBuffer.limit(at + length).position(at);
            int errno = 0;
            int sent;
            try {
                sent = queue.addressLength(slot) == 0 ? channel.write(sendBuffer)
                        : channel.send(sendBuffer, destination(slot));
            } catch (PortUnreachableException e) {
                errno = Errno.ECONNREFUSED;
                sent = -1;
            } catch (IOException e) {
                errno = NioErrors.errno(e);
                sent = -1;
            }
            if (sent == 0 && length > 0) {
                // The socket buffer is full: the rest go, in order, when it has room.
                waitingForWrite = true;
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                break;
            }
            queue.nextRun(false, 0, maxPayload);
            sends++;
            if (errno == 0) {
                datagramsSent++;
                bytesSent += length;
            } else {
                sendFailed(slot, 1, errno);
            }
            queue.complete(slot, 1);
        }
        if (state == CLOSING) {
            if (!queue.hasUnsubmitted()) {
                release();
            } else {
                // Closing: only the rest of the output is waited for.
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }
    }

    /** The JDK's form of the destination of {@code slot}: made once per destination, then cached. */
    private InetSocketAddress destination(int slot) {
        int h = queue.destinationHash(slot) & (DESTINATIONS - 1);
        int k = h * 4;
        InetSocketAddress cached = destinations[h];
        if (cached != null && destinationKeys[k] == queue.destinationWord(slot, 0)
                && destinationKeys[k + 1] == queue.destinationWord(slot, 1)
                && destinationKeys[k + 2] == queue.destinationWord(slot, 2)
                && destinationKeys[k + 3] == queue.destinationWord(slot, 3)) {
            return cached;
        }
        InetSocketAddress a = queue.destinationAddress(slot);
        for (int i = 0; i < 4; i++) {
            destinationKeys[k + i] = queue.destinationWord(slot, i);
        }
        destinations[h] = a;
        return a;
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the channel and frees the queues. The selector closes a registered channel's
     * descriptor only when it drops the key, so the loop does that now: when onClose runs the
     * port is free.
     */
    private void release() {
        state = CLOSED;
        key.cancel();
        NioEventLoop.closeQuietly(channel);
        nio.dropCancelledKeys();
        peers.clear();
        arena.close();
        nio.released(this);
        closed();
    }

    @Override
    protected void closeAfterLoopDeath() {
        abort();
    }

    /** The loop is going away past its deadline: what is still queued is dropped. */
    void abort() {
        if (state != CLOSED) {
            state = CLOSING;
            release();
        }
    }

    @Override
    protected String id() {
        return "udp#" + number;
    }
}
