package dev.uring4j.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What every builder of sockets takes the same way ({@link TcpServer.Builder},
 * {@link TcpClient.Builder}, {@link UdpEndpoint.Builder}): the loops to run on, and the kernel's
 * socket buffer sizes.
 *
 * <p>Loops: either an {@link EventLoopGroup} of the application's ({@link #group}), which the
 * built object uses and leaves open, or a group of its own, made from {@link #threads},
 * {@link #options} and {@link #transport} and closed with it.
 *
 * <p>The class is sealed: its subclasses are the builders named above.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class SocketBuilder<B extends SocketBuilder<B>> permits TcpBuilder, UdpEndpoint.Builder {
    private EventLoopGroup group;
    private int threads = 1;
    private LoopOptions options = LoopOptions.defaults();
    private Transport transport = Transport.AUTO;
    private int sendBufferSize;
    private int receiveBufferSize;
    private InetSocketAddress address;

    SocketBuilder() {}

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /**
     * The local address: where a server listens, where a UDP endpoint binds, where a client's
     * sockets bind before they connect (to pick the source address or port). The default depends
     * on the builder and is given there.
     *
     * @param address the local address and port; port 0 for an ephemeral one
     * @return this builder
     */
    public B address(InetSocketAddress address) {
        this.address = Objects.requireNonNull(address, "address");
        return self();
    }

    /**
     * The local address on all interfaces at {@code port} (0 for an ephemeral one); replaces
     * {@link #address}.
     *
     * @param port the local port
     * @return this builder
     */
    public B port(int port) {
        this.address = new InetSocketAddress(port);
        return self();
    }

    /** The local address set, or {@code null} for the builder's default. */
    final InetSocketAddress address() {
        return address;
    }

    /**
     * Run on this group; it is not closed with what is built. Default: none, a group of its own.
     *
     * @param group the application's group, still open when building
     * @return this builder
     */
    public B group(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
        return self();
    }

    /**
     * Without {@link #group}: how many loops the group of its own has (default 1).
     *
     * @param threads the number of loops, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code threads} is not positive
     */
    public B threads(int threads) {
        this.threads = Settings.inRange("threads", threads, 1, Integer.MAX_VALUE);
        return self();
    }

    /**
     * Without {@link #group}: the options of the loops of its own (default {@link LoopOptions#defaults()}).
     *
     * @param options what the loops are built with
     * @return this builder
     */
    public B options(LoopOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return self();
    }

    /**
     * Without {@link #group}: the transport of the loops of its own (default
     * {@link Transport#AUTO}; see {@link EventLoopGroup.Builder#transport}).
     *
     * @param transport the transport, or {@link Transport#AUTO} to let the runtime pick
     * @return this builder
     */
    public B transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return self();
    }

    /**
     * {@code SO_SNDBUF} in bytes; 0 (the default) leaves the kernel's.
     *
     * @param bytes the send buffer size, or 0
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public B sendBufferSize(int bytes) {
        this.sendBufferSize = Settings.inRange("sendBufferSize", bytes, 0, Integer.MAX_VALUE);
        return self();
    }

    /**
     * {@code SO_RCVBUF} in bytes; 0 (the default) leaves the kernel's.
     *
     * @param bytes the receive buffer size, or 0
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public B receiveBufferSize(int bytes) {
        this.receiveBufferSize = Settings.inRange("receiveBufferSize", bytes, 0, Integer.MAX_VALUE);
        return self();
    }

    final int sendBufferSize() {
        return sendBufferSize;
    }

    final int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** Whether what is built makes (and later closes) a group of its own. */
    final boolean ownsGroup() {
        return group == null;
    }

    /**
     * The group to run on: the application's, or a new one of its own named {@code name}, on the
     * transport that can run {@code workload} here.
     */
    final EventLoopGroup groupOrOwn(String name, TransportSelection.Workload workload) throws IOException {
        if (group != null) {
            if (group.isClosed()) {
                throw new IllegalStateException("the event loop group is closed");
            }
            return group;
        }
        return EventLoopGroup.builder().threads(threads).options(options).transport(transport).name(name)
                .workload(workload).build();
    }
}
