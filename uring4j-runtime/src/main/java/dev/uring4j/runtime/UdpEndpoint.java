package dev.uring4j.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.internal.LoopUdp;
import dev.uring4j.runtime.internal.LoopUdpSocket;
import dev.uring4j.runtime.internal.UdpConfig;


/**
 * A UDP endpoint on an {@link EventLoopGroup}: a server socket on every loop of the group, all
 * bound to one port with {@code SO_REUSEPORT} (the kernel spreads peers over them by address), or
 * one connected client socket.
 *
 * <pre>{@code
 * UdpEndpoint echo = UdpEndpoint.builder()
 *         .port(9000)
 *         .handler((socket, datagram, sender) ->
 *                 socket.send(sender, datagram.buffer(), datagram.offset(), datagram.length()))
 *         .start();
 * }</pre>
 *
 * <p>On io_uring each socket keeps one multishot {@code recvmsg} armed with buffer selection: the
 * kernel picks a provided buffer per datagram and writes {@code io_uring_recvmsg_out}, the
 * sender's address, control data and the payload into it; the handler gets views of those, and
 * the buffer goes back to the kernel when it returns. Endpoints whose largest datagram fits the
 * loop's provided buffers share the loop's buffer groups with its TCP connections; larger ones
 * (up to 65,507 bytes) get groups of their own, sized for them. Sends are queued and flushed once
 * per loop iteration. See {@link UdpSocket}. On the NIO fallback each socket is a
 * {@code DatagramChannel} with the same API and semantics, without GSO and control messages
 * (docs/FALLBACK.md).
 *
 * <p>{@link #close()} sends what is queued, cancels the receives, waits for every operation's last
 * completion, and only then frees the buffers the kernel wrote into.
 */
public final class UdpEndpoint implements AutoCloseable {
    /** The largest UDP payload over IPv4: 65,535 minus the IPv4 and UDP headers. */
    public static final int MAX_IPV4_PAYLOAD = LoopUdpSocket.MAX_IPV4_PAYLOAD;
    /** The largest UDP payload over IPv6 (without jumbograms): 65,535 minus the UDP header. */
    public static final int MAX_IPV6_PAYLOAD = LoopUdpSocket.MAX_IPV6_PAYLOAD;
    /** A provided-buffer ring's entries are fewer than 65536 and a power of two. */
    private static final int MAX_RING_BUFFERS = 32768;
    private static final int MAX_SEND_QUEUE = 32768;
    private static final int MAX_CONTROL_ROOM = 65536;

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final LoopUdp core;
    private volatile boolean closed;

    private UdpEndpoint(EventLoopGroup group, boolean ownsGroup, LoopUdp core) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.core = core;
    }

    /**
     * A builder: 127.0.0.1 on an ephemeral port, one loop of its own.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bound address (with the real port when 0 was asked for).
     *
     * @return the address every socket of the endpoint is bound to
     */
    public InetSocketAddress localAddress() {
        return core.localAddress();
    }

    /**
     * The endpoint's sockets: one per loop of the group, or the one connected socket.
     *
     * @return the sockets
     */
    public List<UdpSocket> sockets() {
        return core.sockets();
    }

    /**
     * The first (in client mode, the only) socket.
     *
     * @return the socket on the group's first loop, or the connected socket
     */
    public UdpSocket socket() {
        return core.sockets().get(0);
    }

    /**
     * The group the endpoint runs on.
     *
     * @return the application's group, or the endpoint's own
     */
    public EventLoopGroup group() {
        return group;
    }

    /**
     * The sum of the sockets' counters.
     *
     * @return a snapshot of the endpoint's totals
     */
    public UdpStats stats() {
        UdpStats total = null;
        for (UdpSocket s : core.sockets()) {
            total = total == null ? s.stats() : total.plus(s.stats());
        }
        return total;
    }

    /**
     * Sends what is queued, closes the sockets and waits until each has released its memory; with
     * a group of its own, shuts the group down too.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!group.isClosed()) {
            CompletableFuture<Void> sent = core.close();
            // Called by a handler, its own loop sends and closes once this returns.
            if (!group.loopGroup().inAnyLoop()) {
                sent.join();
            }
        }
        if (ownsGroup) {
            group.close();
        }
    }

    /**
     * Builder of {@link UdpEndpoint}; the settings it shares with other builders are in
     * {@link SocketBuilder}. The local address ({@link SocketBuilder#address},
     * {@link SocketBuilder#port}) is where the sockets bind: by default 127.0.0.1 and an
     * ephemeral port, in client mode the wildcard address of the peer's family.
     */
    public static final class Builder extends SocketBuilder<Builder> {
        private InetSocketAddress remote;
        private boolean reusePort;
        private int maxDatagramSize = 2048;
        private int controlRoom;
        private int receiveBuffers;
        private int sendQueueDatagrams = 1024;
        private int sendQueueBytes = 1 << 20;
        private boolean gso = true;
        private final List<UdpConfig.SocketOption> socketOptions = new ArrayList<>();
        private Supplier<? extends DatagramHandler> handlers;

        private Builder() {}

        /**
         * Client mode: one socket, connected to {@code remote}. Only that peer's datagrams are
         * received, {@link UdpSocket#send(MemorySegment, long, int)} needs no address, and ICMP
         * errors (nothing listening: {@code ECONNREFUSED}) reach {@link DatagramHandler#onError}.
         * Default: none, server mode.
         *
         * @param remote the peer, resolved
         * @return this builder
         */
        public Builder connect(InetSocketAddress remote) {
            this.remote = remote;
            return this;
        }

        /**
         * {@code SO_REUSEPORT} even with a single socket, so other processes' sockets may share
         * the port (default off; several sockets always set it).
         *
         * @param on whether a single socket sets {@code SO_REUSEPORT}
         * @return this builder
         */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /**
         * {@code SO_RCVBUF}: how much the kernel queues while the loop is busy. Datagrams that
         * arrive when it is full are dropped by the kernel; size it for the offered rate times the
         * longest pause, counting the kernel's per-datagram overhead (docs/BENCHMARKS.md, "UDP").
         * Above {@code net.core.rmem_max} it is forced with {@code SO_RCVBUFFORCE} where permitted.
         * Default 0: the kernel's.
         *
         * @param bytes the receive buffer size, or 0
         * @return this builder
         */
        @Override
        public Builder receiveBufferSize(int bytes) {
            return super.receiveBufferSize(bytes);
        }


        /**
         * The largest payload delivered whole (default 2048; at most 65,507 over IPv4). Longer
         * datagrams are delivered cut, {@link Datagram#isTruncated()} saying so. Endpoints whose
         * datagrams (with the 16-byte {@code io_uring_recvmsg_out} header, the address and the
         * control room) fit the loop's provided buffers share them; others get buffer groups of
         * their own of {@link #receiveBuffers} buffers this large.
         *
         * @param bytes the largest payload, 1..65,527
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is out of range
         */
        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = Settings.inRange("maxDatagramSize", bytes, 1, MAX_IPV6_PAYLOAD);
            return this;
        }

        /**
         * Bytes reserved per datagram for control messages (enable them with {@link #socketOption});
         * default 0, none. Received control messages start at {@link Datagram#controlOffset()}.
         *
         * @param bytes room per datagram for {@code struct cmsghdr} records, 0 to 65536
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is out of range
         */
        public Builder controlRoom(int bytes) {
            this.controlRoom = Settings.inRange("controlRoom", bytes, 0, MAX_CONTROL_ROOM);
            return this;
        }

        /**
         * Provided buffers per group when the endpoint has groups of its own (a power of two;
         * default: as many as fit in 16 MiB, at most 1024, at least 16).
         *
         * @param buffers provided buffers per group, a power of two up to 32768
         * @return this builder
         * @throws IllegalArgumentException when {@code buffers} is not a power of two in that range
         */
        public Builder receiveBuffers(int buffers) {
            this.receiveBuffers = Settings.powerOfTwo("receiveBuffers", buffers, MAX_RING_BUFFERS);
            return this;
        }

        /**
         * The send queue of each socket: at most {@code datagrams} (a power of two) and
         * {@code bytes} of payload queued or in flight (default 1024 and 1 MiB). The byte limit is
         * raised to {@link #maxDatagramSize} when below it.
         *
         * @param datagrams the most datagrams, a power of two up to 32768
         * @param bytes     the most payload bytes, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code datagrams} is not a power of two up to 32768,
         *                                  or {@code bytes} is not positive
         */
        public Builder sendQueue(int datagrams, int bytes) {
            this.sendQueueDatagrams = Settings.powerOfTwo("sendQueue: datagrams", datagrams, MAX_SEND_QUEUE);
            this.sendQueueBytes = Settings.inRange("sendQueue: bytes", bytes, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Batch equal-sized datagrams to one peer with {@code UDP_SEGMENT} (default on where the
         * kernel has it).
         *
         * @param on {@code false} sends every datagram on its own
         * @return this builder
         */
        public Builder gso(boolean on) {
            this.gso = on;
            return this;
        }

        /**
         * One more {@code setsockopt(level, name, value)} on every socket, before bind (for
         * example {@code SO_TIMESTAMPNS}). Each call adds one; none by default.
         *
         * @param level the option's level ({@code SOL_SOCKET}, {@code IPPROTO_IP}, ...)
         * @param name  the option's name
         * @param value its int value
         * @return this builder
         */
        public Builder socketOption(int level, int name, int value) {
            this.socketOptions.add(new UdpConfig.SocketOption(level, name, value, "level " + level + " option " + name));
            return this;
        }

        /**
         * One handler per socket. Required: this or {@link #handler(DatagramHandler)}.
         *
         * @param factory called once per socket, on the socket's loop thread
         * @return this builder
         */
        public Builder handler(Supplier<? extends DatagramHandler> factory) {
            this.handlers = factory;
            return this;
        }

        /**
         * One handler shared by every socket (they run on different loops when there are several).
         * Required: this or {@link #handler(Supplier)}.
         *
         * @param shared the handler; with several loops it is called from several threads at once
         * @return this builder
         */
        public Builder handler(DatagramHandler shared) {
            this.handlers = () -> shared;
            return this;
        }

        /**
         * Binds (and connects), starts receiving, and returns the running endpoint. Without a
         * group, starts one of its own first, and closes it again if the endpoint cannot start.
         *
         * @return the running endpoint, to be closed by the caller
         * @throws IOException naming the cause when the loops cannot start or a socket cannot be
         *                     set up or bound ({@code EADDRINUSE} and the like)
         * @throws NullPointerException when no handler was given
         * @throws IllegalArgumentException when the {@link #connect} address is unresolved
         */
        public UdpEndpoint start() throws IOException {
            Objects.requireNonNull(handlers, "a handler is required");
            InetSocketAddress bind = address();
            if (bind == null) {
                bind = remote == null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
                        : new InetSocketAddress(remote.getAddress() instanceof java.net.Inet6Address
                        ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0"), 0);
            }
            if (remote != null && remote.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address " + remote);
            }
            int sendBytes = Math.max(sendQueueBytes, maxDatagramSize);
            UdpConfig config = new UdpConfig(bind, remote, reusePort, receiveBufferSize(), sendBufferSize(),
                    maxDatagramSize, controlRoom, receiveBuffers, sendQueueDatagrams, sendBytes, gso,
                    List.copyOf(socketOptions), handlers);
            EventLoopGroup g = groupOrOwn("uring4j-udp", TransportSelection.Workload.UDP);
            try {
                LoopGroup loops = g.loopGroup();
                return new UdpEndpoint(g, ownsGroup(), loops.provider().startUdp(loops, config));
            } catch (IOException | RuntimeException e) {
                if (ownsGroup()) {
                    g.close();
                }
                throw e;
            }
        }
    }
}
