package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import dev.uring4j.runtime.UdpSocket;

/**
 * A transport's running UDP endpoint behind the public {@code UdpEndpoint}, as {@link ServerCore}
 * is for TCP: {@link LoopUdp} on both transports, with the sockets {@code UringUdp} or
 * {@code NioUdp} opens ({@link Transport#startUdp}).
 */
public interface UdpCore {
    /** The bound address (with the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** The endpoint's sockets: one per loop, or the one connected socket. */
    List<UdpSocket> sockets();

    /** Sends what is queued, closes every socket; completes when each has released its resources. */
    CompletableFuture<Void> close();
}
