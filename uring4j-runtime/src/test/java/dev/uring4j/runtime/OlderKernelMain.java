package dev.uring4j.runtime;

import java.io.IOException;

/**
 * Child JVM for {@link OlderKernelTest}, run with {@code -During4j.probe.hide} making the kernel
 * look older: starts what an application would (a UDP echo endpoint and a TCP server, each with a
 * group of its own; then a UDP endpoint on an io_uring group it was given) and prints what each
 * runs on: {@code udp=}, {@code tcp=}, {@code given=} (the transport, or the error), then
 * {@code listening on HOST:PORT} for the UDP echo; stops when stdin closes.
 */
public final class OlderKernelMain {
    private OlderKernelMain() {}

    public static void main(String[] args) throws Exception {
        try (UdpEndpoint udp = UdpEndpoint.builder().handler(new Udp.Echo()).start();
             TcpServer tcp = TcpServer.builder().handler(EchoHandler::new).start();
             EventLoopGroup uring = EventLoopGroup.builder().threads(1).transport(Transport.IO_URING).build()) {
            System.out.println("udp=" + udp.group().transport());
            System.out.println("tcp=" + tcp.group().transport());
            try (UdpEndpoint given = UdpEndpoint.builder().group(uring).handler(new Udp.Echo()).start()) {
                System.out.println("given=" + given.group().transport());
            } catch (IOException e) {
                System.out.println("given=" + e.getMessage());
            }
            System.out.println("listening on " + udp.localAddress().getAddress().getHostAddress() + ":"
                    + udp.localAddress().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }
}
