package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.Datagram;
import dev.uring4j.runtime.DatagramHandler;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.UdpAddress;
import dev.uring4j.runtime.UdpPeer;
import dev.uring4j.runtime.UdpSocket;
import dev.uring4j.runtime.UdpStats;

/**
 * What a UDP socket is on either transport: the send queue and peer table in native memory, the
 * handler and its calls, the counters, and the open/closing/closed states. A transport adds how
 * datagrams come in ({@link #startReceiving}) and go out (its flush, after {@link #markDirty}).
 *
 * <p>Owned by the loop's thread; the public methods that may be called from elsewhere hand
 * themselves to the loop.
 */
public abstract non-sealed class LoopUdpSocket extends UdpSocket {
    /** The largest UDP payload over IPv4: 65,535 minus the IPv4 and UDP headers. */
    public static final int MAX_IPV4_PAYLOAD = 65_507;
    /** The largest UDP payload over IPv6 (without jumbograms): 65,535 minus the UDP header. */
    public static final int MAX_IPV6_PAYLOAD = 65_527;
    public static final int OPEN = 0;
    public static final int CLOSING = 1;
    public static final int CLOSED = 2;

    protected final TransportLoop loop;
    public final int family;
    private final InetSocketAddress local;
    protected final InetSocketAddress remote;
    protected final DatagramHandler handler;
    /** Send queue and peer table; with io_uring also what the kernel writes into. Freed last. */
    public final Arena arena;
    public final int maxDatagram;
    public final int maxPayload;
    public final UdpSendQueue queue;
    public final UdpPeerTable peers;
    public final ReceivedDatagram datagram = new ReceivedDatagram();
    public final SenderAddress sender = new SenderAddress();
    private final int receiveBufferBytes;
    public int state = OPEN;
    private boolean opened;
    private Throwable failure;
    protected final CompletableFuture<Void> released = new CompletableFuture<>();

    // counters (written by the loop thread only; read racily by stats())
    protected long datagramsReceived;
    protected long bytesReceived;
    protected long truncatedCount;
    protected long receiveErrors;
    protected long exhausted;
    public long datagramsSent;
    public long bytesSent;
    public long sends;
    protected long gsoSends;
    protected long sendRefused;
    protected long sendErrors;

    /** Takes {@code arena} (closing it if construction fails) and makes the handler. */
    public LoopUdpSocket(TransportLoop loop, int family, InetSocketAddress local, InetSocketAddress remote,
                  int receiveBufferBytes, UdpConfig config, Arena arena) {
        this.loop = loop;
        this.family = family;
        this.local = local;
        this.remote = remote;
        this.receiveBufferBytes = receiveBufferBytes;
        this.maxDatagram = config.maxDatagramSize();
        this.maxPayload = family == LibC.AF_INET ? MAX_IPV4_PAYLOAD : MAX_IPV6_PAYLOAD;
        this.arena = arena;
        try {
            this.queue = new UdpSendQueue(arena, config.sendQueueDatagrams(), config.sendQueueBytes(), family);
            this.peers = new UdpPeerTable(arena, family);
            this.handler = Objects.requireNonNull(config.handlers().get(), "handler factory returned null");
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Builds a socket on {@code loop}'s thread with {@code build} (which also installs it in the
     * loop), opens it, and waits for that: setup runs on the caller's thread, the socket lives on
     * the loop's.
     */
    public static <S extends LoopUdpSocket> S startOn(TransportLoop loop, InetSocketAddress bound, Callable<S> build)
            throws ErrnoException {
        CompletableFuture<S> built = new CompletableFuture<>();
        loop.runOrPost(() -> {
            try {
                S s = build.call();
                built.complete(s);
                s.open();
            } catch (Throwable t) {
                built.completeExceptionally(t);
            }
        }, () -> built.completeExceptionally(new RejectedExecutionException("event loop " + loop.name() + " has stopped")));
        try {
            return TransportLoop.await(built);
        } catch (CompletionException e) {
            if (e.getCause() instanceof ErrnoException ee) {
                throw ee;
            }
            throw new IllegalStateException("starting the UDP socket on " + bound + " failed", e.getCause());
        }
    }

    /** Closes {@code sockets}; completes when each has released its resources. */
    protected static CompletableFuture<Void> closeAll(List<UdpSocket> sockets) {
        CompletableFuture<?>[] done = new CompletableFuture<?>[sockets.size()];
        for (int i = 0; i < done.length; i++) {
            LoopUdpSocket s = (LoopUdpSocket) sockets.get(i);
            s.close();
            done[i] = s.released;
        }
        return CompletableFuture.allOf(done);
    }

    /** The socket has something for the loop's flush phase. */
    protected abstract void markDirty();

    /** Starts receiving, after onOpen. */
    protected abstract void startReceiving();

    /** Calls onOpen, then starts receiving. */
    protected final void open() {
        opened = true;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "handler onOpen of " + this + " threw; closing it", t);
            failure = t;
            close();
            return;
        }
        if (state == OPEN) {
            startReceiving();
        }
    }

    // ------------------------------------------------------------------ receive

    /**
     * Hands the datagram {@link #datagram} and {@link #sender} now show to the handler, counting
     * it. A handler that throws loses that datagram only.
     */
    protected final void deliver() {
        Datagram d = datagram;
        datagramsReceived++;
        bytesReceived += d.length();
        if (d.isTruncated()) {
            truncatedCount++;
        }
        try {
            handler.onDatagram(this, d, sender);
        } catch (Throwable t) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "handler onDatagram of " + this
                    + " threw; that datagram is dropped", t);
        }
    }

    /**
     * Errors after which the socket still works: ICMP errors a connected socket reports once
     * (reading them clears them), and want of memory. Others (a bad descriptor, a fault) would
     * fail again at once.
     */
    protected static boolean isTransient(int errno) {
        return errno == Errno.ECONNREFUSED || errno == Errno.EHOSTUNREACH
                || errno == Errno.ENETUNREACH || errno == Errno.EMSGSIZE
                || errno == Errno.ENOMEM || errno == Errno.EINTR
                || errno == Errno.EAGAIN || errno == Errno.ETIMEDOUT
                || errno == Errno.ECONNRESET;
    }

    /** A receive failed: the handler hears a transient error and the socket goes on; any other closes it. */
    protected final void receiveFailed(int errno) {
        receiveErrors++;
        ConnectionException e = new ConnectionException("recvmsg", errno, toString());
        if (isTransient(errno)) {
            report(e);
        } else {
            fail(e);
        }
    }

    protected final void report(ConnectionException e) {
        try {
            handler.onError(this, e);
        } catch (Throwable t) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "handler onError of " + this + " threw", t);
        }
    }

    // ------------------------------------------------------------------ send

    @Override
    public final boolean send(UdpAddress to, MemorySegment src, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.byteSize());
        if (!loop.inEventLoop()) {
            byte[] copy = new byte[length];
            MemorySegment.copy(src, JAVA_BYTE, offset, copy, 0, length);
            return send(to, copy, 0, length);
        }
        int slot = reserve(to, length);
        if (slot < 0) {
            return false;
        }
        queue.copyIn(slot, src, offset, length);
        return true;
    }

    @Override
    public final boolean send(UdpAddress to, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (!loop.inEventLoop()) {
            if (to instanceof SenderAddress) {
                throw new IllegalStateException("a datagram's sender view is valid only on the loop thread, during onDatagram");
            }
            byte[] copy = Arrays.copyOfRange(src, offset, offset + length);
            // Handed to the loop, which may still refuse it (closed by then, queue full) and
            // counts it in the stats' refused sends: a datagram's delivery is never promised.
            return state == OPEN && loop.post(() -> send(to, copy, 0, copy.length));
        }
        int slot = reserve(to, length);
        if (slot < 0) {
            return false;
        }
        queue.copyIn(slot, src, offset, length);
        return true;
    }

    @Override
    public final boolean send(MemorySegment src, long offset, int length) {
        requireConnected();
        return send(null, src, offset, length);
    }

    @Override
    public final boolean send(byte[] src, int offset, int length) {
        requireConnected();
        return send(null, src, offset, length);
    }

    private void requireConnected() {
        if (remote == null) {
            throw new IllegalStateException("send without an address needs a connected socket (UdpEndpoint.Builder.connect)");
        }
    }

    /** A queue slot for {@code length} bytes to {@code to} ({@code null}: the connected peer), or -1 if refused. */
    private int reserve(UdpAddress to, int length) {
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("a UDP datagram carries at most " + maxPayload + " bytes, was " + length);
        }
        if (length > queue.byteCapacity()) {
            throw new IllegalArgumentException("a datagram of " + length + " bytes does not fit the send queue of "
                    + queue.byteCapacity() + " bytes (UdpEndpoint.Builder.sendQueue)");
        }
        if (state != OPEN || (to instanceof UdpPeer p && !p.isValid())) {
            sendRefused++;
            return -1;
        }
        int slot = to == null ? queue.enqueue(null, 0, length) : queue.enqueue(to.memory(), to.offset(), length);
        if (slot < 0) {
            sendRefused++;
            if (slot != UdpSendQueue.FULL) {
                report(new ConnectionException("send to " + to, -slot, toString(), "an IPv6 peer cannot be reached from an IPv4 socket"));
            }
            return -1;
        }
        markDirty();
        return slot;
    }

    /** A send of {@code count} datagrams from {@code slot} failed with {@code errno}: they are lost, the handler hears why. */
    protected final void sendFailed(int slot, int count, int errno) {
        sendErrors += count;
        report(new ConnectionException((count > 1 ? "sendmsg of " + count + " datagrams" : "send") + " to "
                + queue.destination(slot), errno, toString()));
    }

    // ------------------------------------------------------------------ peers

    @Override
    public final UdpPeer peer(UdpAddress address) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("peer(UdpAddress) runs on the socket's loop thread; use peer(InetSocketAddress)");
        }
        return address instanceof PeerEntry p && p.belongsTo(peers) && p.isValid() ? p
                : peers.intern(address.memory(), address.offset());
    }

    @Override
    public final UdpPeer peer(InetSocketAddress address) {
        if (!loop.inEventLoop()) {
            try {
                return loop.submit(() -> peer(address)).join();
            } catch (CompletionException stopped) {
                // The loop has stopped: the socket and its table are gone.
                return null;
            }
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(SockAddr.SIZEOF_STORAGE);
            SockAddr.write(m, address);
            return peers.intern(m, 0);
        }
    }

    @Override
    public final void forget(UdpPeer peer) {
        if (!loop.inEventLoop()) {
            loop.post(() -> forget(peer));
            return;
        }
        // Sealed: every UdpPeer is a table entry (of this socket's table or another's, which forget ignores).
        peers.forget((PeerEntry) peer);
    }

    @Override
    public final int peerCount() {
        return peers.size();
    }

    // ------------------------------------------------------------------ closing

    @Override
    public final void close() {
        if (!loop.inEventLoop()) {
            loop.post(this::close);
            return;
        }
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        // Queued datagrams still go out in the flush phase, which then finishes the close.
        markDirty();
    }

    /** Closes because of {@code cause}: queued datagrams are still sent; onClose hears the cause. */
    protected final void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        close();
    }

    /**
     * The loop cannot go on ({@code cause}): the socket closes without waiting for the kernel; its
     * handler hears {@code cause} (unless the socket had failed for a reason of its own) when the
     * transport has let go of it.
     */
    public final void loopDied(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (state != CLOSED) {
            state = CLOSING;
            closeAfterLoopDeath();
        }
    }

    /** Lets go of the socket now, or at the loop's final drain; calls {@link #closed()} when done. */
    protected abstract void closeAfterLoopDeath();

    /** The end of a transport's constructor: the socket is this object's until {@link #closed()}. */
    protected final void holdsDescriptor() {
        if (loop.leaks != null) {
            loop.leaks.acquired(Leaks.Kind.DESCRIPTOR, this, "the socket of a UDP endpoint");
        }
    }

    /** The transport has released everything: tells the handler, once, and completes {@link #released}. */
    protected final void closed() {
        state = CLOSED;
        if (loop.leaks != null) {
            loop.leaks.released(Leaks.Kind.DESCRIPTOR, this);
        }
        if (opened) {
            try {
                handler.onClose(this, failure);
            } catch (Throwable t) {
                TransportLoop.LOG.log(System.Logger.Level.WARNING, "handler onClose of " + this + " threw", t);
            }
        }
        released.complete(null);
    }

    @Override
    public final boolean isClosed() {
        return state != OPEN;
    }

    public final boolean isReleased() {
        return state == CLOSED;
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public final EventLoop eventLoop() {
        return loop;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public final int maxDatagramSize() {
        return maxDatagram;
    }

    @Override
    public final UdpStats stats() {
        return new UdpStats(datagramsReceived, bytesReceived, truncatedCount, receiveErrors, exhausted, datagramsSent,
                bytesSent, sends, gsoSends, sendRefused, sendErrors, peers.size(), receiveBufferBytes);
    }

    /** {@code udp#ID}: how the socket is named in logs and errors. */
    protected abstract String id();

    @Override
    public final String toString() {
        return id() + " " + local + (remote != null ? " -> " + remote : "") + " on " + loop.name();
    }
}
