package dev.uring4j.bench.peers;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;

/**
 * UDP echo on Netty 4.2, one event-loop thread, on the transport named by {@code --transport}:
 * {@code io_uring} ({@code IoUringDatagramChannel}) or {@code epoll} ({@code EpollDatagramChannel}).
 *
 * <p>Configured as a Netty user tuning for datagram throughput would: pooled direct buffers, the
 * received buffer sent back as is, one flush per read batch (epoll: {@code sendmmsg}), and on
 * epoll {@code MAX_DATAGRAM_PAYLOAD_SIZE} so one read takes up to {@code --batch} datagrams with
 * one {@code recvmmsg} (default 32). On io_uring the same option submits that many {@code recvmsg}
 * SQEs per read; with Netty 4.2.7 at 50,000 datagrams/s that ran out of direct memory within
 * seconds ({@code --batch 32}) or fell to about 2,400 echoes/s ({@code --batch 4}), so io_uring
 * defaults to Netty's own setting, one {@code recvmsg} per read ({@code --batch 0}).
 */
public final class NettyUdpEchoServer {
    /** Room per datagram in a batched read: any datagram of the cell, and a typical MTU. */
    private static final int MAX_PAYLOAD = 2048;

    private NettyUdpEchoServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("NettyUdpEchoServer", args, Set.of("--transport", "--batch", "--rcvbuf"));
        String transport = peer.options().getOrDefault("--transport", "io_uring");
        int batch = Integer.parseInt(peer.options().getOrDefault("--batch", transport.equals("epoll") ? "32" : "0"));
        IoHandlerFactory handlers;
        Class<? extends DatagramChannel> type;
        switch (transport) {
            case "io_uring" -> {
                handlers = IoUringIoHandler.newFactory();
                type = IoUringDatagramChannel.class;
            }
            case "epoll" -> {
                handlers = EpollIoHandler.newFactory();
                type = EpollDatagramChannel.class;
            }
            default -> {
                System.err.println("NettyUdpEchoServer: --transport must be io_uring or epoll, was " + transport);
                System.exit(2);
                return;
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handlers);
        Bootstrap b = new Bootstrap().group(group).channel(type)
                .option(ChannelOption.SO_RCVBUF, peer.rcvbuf(4 << 20))
                .option(ChannelOption.ALLOCATOR, new PooledByteBufAllocator(true))
                .handler(Echo.INSTANCE);
        if (batch > 0) {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_PAYLOAD * batch));
            if (transport.equals("epoll")) {
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_PAYLOAD);
            } else {
                b.option(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_PAYLOAD);
            }
        }
        Channel channel = b.bind(peer.address()).sync().channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }, "shutdown"));
        peer.announce((InetSocketAddress) channel.localAddress());
        channel.closeFuture().sync();
    }

    @Sharable
    private static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        static final Echo INSTANCE = new Echo();

        private Echo() {
            super(false); // the content is sent back and released by the write
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram the kernel refused (ICMP errors do not reach unconnected sockets): keep serving.
        }
    }
}
