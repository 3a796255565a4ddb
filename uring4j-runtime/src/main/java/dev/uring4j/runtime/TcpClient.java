package dev.uring4j.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import dev.uring4j.runtime.internal.ClientConfig;
import dev.uring4j.runtime.internal.LoopGroup;


/**
 * Opens TCP connections on an {@link EventLoopGroup}, with the same {@link Connection} API as a
 * server's.
 *
 * <pre>{@code
 * try (TcpClient client = TcpClient.builder().handler(MyHandler::new).build()) {
 *     Connection c = client.connect(new InetSocketAddress("127.0.0.1", 7007)).get();
 *     c.writeAndFlush("hello".getBytes());
 * }
 * }</pre>
 *
 * <p>On io_uring the connect is submitted together with a linked timeout: if the timeout fires
 * first the connect completes with {@code -ECANCELED}, the timeout with {@code -ETIME}, and the
 * future fails with a {@link ConnectionException} naming the address and the duration (on NIO a
 * loop timer bounds the connect, with the same outcome). Refused, unreachable and reset connects
 * fail naming their errno. Cancelling the future cancels the connect and closes the socket.
 */
public final class TcpClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ClientConfig config;

    private TcpClient(EventLoopGroup group, boolean ownsGroup, ClientConfig config) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.config = config;
    }

    /**
     * A builder: one loop of its own unless given a group, a 10 s connect timeout.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The group the client's connections run on.
     *
     * @return the application's group, or the client's own
     */
    public EventLoopGroup group() {
        return group;
    }

    /**
     * Connects on the group's next loop. May be called from any thread.
     *
     * @param address where to connect; resolved
     * @return completes with the connection once it is established, or fails:
     *         {@link IllegalArgumentException} for an unresolved address, a
     *         {@link ConnectionException} naming the errno when the connect fails or times out
     */
    public CompletableFuture<Connection> connect(InetSocketAddress address) {
        return connect(address, group.next());
    }

    /**
     * Connects on {@code loop} (which must belong to this client's group), so that the
     * connection shares a thread with what else that loop serves.
     *
     * @param address where to connect; resolved
     * @param loop    the loop to serve the connection, one of {@link #group()}'s
     * @return as {@link #connect(InetSocketAddress)}; fails with {@link IllegalArgumentException}
     *         when {@code loop} is not in the client's group
     */
    public CompletableFuture<Connection> connect(InetSocketAddress address, EventLoop loop) {
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (address.isUnresolved()) {
            future.completeExceptionally(new IllegalArgumentException("unresolved address " + address));
            return future;
        }
        LoopGroup loops = group.loopGroup();
        if (!loops.contains(loop)) {
            future.completeExceptionally(new IllegalArgumentException("the loop is not in this client's group"));
            return future;
        }
        loops.loop(loop.index()).connect(config, address, future);
        return future;
    }

    /**
     * With a group of its own, closes it: every connection the client opened closes after its
     * queued output is sent (at most 5 s of draining). With the application's group, does nothing.
     */
    @Override
    public void close() {
        if (ownsGroup) {
            group.close();
        }
    }

    /**
     * Builder of {@link TcpClient}; the settings it shares with other builders are in
     * {@link TcpBuilder} and {@link SocketBuilder}. The local address
     * ({@link SocketBuilder#address}, {@link SocketBuilder#port}) is where each socket binds
     * before it connects; by default none is set and the kernel picks the source address and port.
     */
    public static final class Builder extends TcpBuilder<Builder> {
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {}

        /**
         * How long a connect may take (default 10 s); {@code null} waits as long as the kernel does.
         *
         * @param timeout the longest a connect may take, positive, or {@code null}
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is zero or negative
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Settings.positiveOrNone("connectTimeout", timeout);
            return this;
        }

        /**
         * The client, with a group of its own started now unless one was given.
         *
         * @return the client, to be closed by the caller
         * @throws IOException naming the cause when the client's own loops cannot start
         * @throws NullPointerException when no handler was given
         */
        public TcpClient build() throws IOException {
            ClientConfig config = new ClientConfig(handlers(), connectTimeout == null ? 0 : connectTimeout.toNanos(),
                    idleTimeoutNanos(), tcpNoDelay(), sendBufferSize(), receiveBufferSize(), address(), tlsContext(true));
            return new TcpClient(groupOrOwn("uring4j-client", TransportSelection.Workload.TCP), ownsGroup(), config);
        }
    }
}
