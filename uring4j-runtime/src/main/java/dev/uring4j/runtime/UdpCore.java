package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transport's running UDP endpoint behind the public {@link UdpEndpoint}, as {@link ServerCore}
 * is for TCP: {@link LoopUdp} on both transports, with the sockets {@link UringUdp} or
 * {@link NioUdp} opens ({@link Transport#startUdp}).
 */
interface UdpCore {
    /** The bound address (with the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** The endpoint's sockets: one per loop, or the one connected socket. */
    List<UdpSocket> sockets();

    /** Sends what is queued, closes every socket; completes when each has released its resources. */
    CompletableFuture<Void> close();
}
