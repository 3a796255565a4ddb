package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;
import dev.uring4j.runtime.DatagramHandler;

/**
 * What a {@code UdpEndpoint} was built with, handed to the transport that runs it.
 *
 * @param address            where to bind (port 0: an ephemeral one)
 * @param remote             the peer to connect to (client mode), or {@code null}
 * @param reusePort          {@code SO_REUSEPORT} on every socket (always when the endpoint has several)
 * @param receiveBufferSize  {@code SO_RCVBUF} in bytes, 0 for the kernel's default
 * @param sendBufferSize     {@code SO_SNDBUF} in bytes, 0 for the kernel's default
 * @param maxDatagramSize    the largest payload delivered whole
 * @param controlRoom        bytes reserved for control messages per received datagram
 * @param receiveBuffers     provided buffers per group for an endpoint with groups of its own
 * @param sendQueueDatagrams datagrams a socket's send queue holds (a power of two)
 * @param sendQueueBytes     payload bytes a socket's send queue holds
 * @param gso                batch equal-sized datagrams to one peer with {@code UDP_SEGMENT} where the kernel offers it
 * @param options            extra {@code setsockopt} ints, applied before bind
 * @param handlers           a handler per socket
 */
public record UdpConfig(InetSocketAddress address, InetSocketAddress remote, boolean reusePort, int receiveBufferSize,
                 int sendBufferSize, int maxDatagramSize, int controlRoom, int receiveBuffers, int sendQueueDatagrams,
                 int sendQueueBytes, boolean gso, List<SocketOption> options,
                 Supplier<? extends DatagramHandler> handlers) {

    /** One {@code setsockopt(level, name, int value)}. */
    public record SocketOption(int level, int name, int value, String label) {
    }
}
