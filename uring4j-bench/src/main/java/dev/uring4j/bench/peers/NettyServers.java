package dev.uring4j.bench.peers;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * What every Netty peer shares: one event-loop thread that both accepts and serves, on the
 * transport named by {@code --transport}, with pooled direct buffers:
 * <ul>
 *   <li>{@code io_uring}: Netty's io_uring transport as it comes, the way most users will run it;
 *   <li>{@code io_uring-buffer-ring}: the same with a provided-buffer ring, so receives draw from
 *       a kernel-shared group instead of one buffer armed per connection;
 *   <li>{@code epoll}: the native epoll transport; {@code nio}: the JDK selector transport.
 * </ul>
 */
final class NettyServers {
    private static final short BUFFER_GROUP_ID = 1;
    /** Direct buffers from Netty's pooled arena allocator, whatever the platform default is. */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true);

    private NettyServers() {}

    /**
     * Binds {@code handler} as every connection's handler on {@code peer}'s address, prints the
     * readiness line, and serves until SIGTERM.
     */
    static void serve(PeerArgs peer, String transport, ChannelHandler handler) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap();
        IoHandlerFactory handlers;
        Class<? extends ServerChannel> channelType;
        switch (transport) {
            case "io_uring" -> {
                handlers = IoUringIoHandler.newFactory();
                channelType = IoUringServerSocketChannel.class;
            }
            case "io_uring-buffer-ring" -> {
                // 4 KiB buffers hold a whole 4 KiB message; 1024 of them cover 512 connections with
                // a reply in flight on each. Buffers come from the same pooled allocator.
                IoUringBufferRingConfig ring = IoUringBufferRingConfig.builder()
                        .bufferGroupId(BUFFER_GROUP_ID)
                        .bufferRingSize((short) 1024)
                        .batchSize(64)
                        .allocator(new IoUringFixedBufferRingAllocator(ALLOCATOR, 4096))
                        .build();
                handlers = IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setBufferRingConfig(ring));
                channelType = IoUringServerSocketChannel.class;
                bootstrap.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP_ID);
            }
            case "epoll" -> {
                handlers = EpollIoHandler.newFactory();
                channelType = EpollServerSocketChannel.class;
            }
            case "nio" -> {
                handlers = NioIoHandler.newFactory();
                channelType = NioServerSocketChannel.class;
            }
            default -> {
                System.err.println("unknown --transport " + transport + " (io_uring, io_uring-buffer-ring, epoll, nio)");
                System.exit(2);
                return;
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handlers);
        Channel server = bootstrap.group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childHandler(handler)
                .bind(peer.address()).sync().channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }, "shutdown"));
        peer.announce((InetSocketAddress) server.localAddress());
        server.closeFuture().sync();
    }
}
