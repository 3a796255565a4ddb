package dev.uring4j.bench.peers;

import java.util.Set;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Echo server on Netty 4.2 on the transport named by {@code --transport} (see {@link NettyServers}).
 * Written as a Netty user tuning for throughput would: pooled direct buffers, the received buffer
 * written back as is (no copy, no allocation per message), one flush per read batch, and auto-read
 * switched off while the peer is not reading so a slow client cannot make the server buffer
 * without bound.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("NettyEchoServer", args, Set.of("--transport"));
        NettyServers.serve(peer, peer.options().getOrDefault("--transport", "io_uring"), Echo.INSTANCE);
    }

    @Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());   // the received buffer goes back out and is released after the write
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();   // typically ECONNRESET from a client that went away; other connections go on
        }
    }
}
