package dev.uring4j.bench.peers;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * The WebSocket peer: Netty's HTTP codec and {@link WebSocketServerProtocolHandler} (the RFC 6455
 * handshake, frame decoding with masking and UTF-8 checks, automatic pong and close) on the
 * transport named by {@code --transport} (default io_uring), serving two paths:
 * <ul>
 *   <li>{@code /echo}: every data frame is written back as it came (Netty re-encodes it
 *       unmasked), flushed once per read batch;
 *   <li>{@code /broadcast}: the connection joins a {@link ChannelGroup}; at each
 *       {@link BroadcastTick} a binary frame goes to every member. The frame is encoded once per
 *       tick into one buffer and each member gets a {@code retainedDuplicate} of it
 *       ({@link ChannelGroup#writeAndFlush}), so no member costs a copy: the way a tuned Netty
 *       server broadcasts. The tick stops while nobody listens.
 * </ul>
 * One event-loop thread serves everything, the tick included.
 */
public final class NettyWebSocketServer {
    private NettyWebSocketServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("NettyWebSocketServer", args, Set.of("--transport", "--tick-hz", "--payload"));
        ChannelGroup subscribers = new DefaultChannelGroup("broadcast", null);
        Broadcaster broadcaster = new Broadcaster(subscribers, BroadcastTick.of(peer));
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .build();
        NettyServers.serve(peer, peer.options().getOrDefault("--transport", "io_uring"), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                        new WebSocketServerProtocolHandler(config), new Session(broadcaster));
            }
        });
    }

    /** One connection after its upgrade: an echo, or a member of the broadcast. */
    static final class Session extends ChannelInboundHandlerAdapter {
        private final Broadcaster broadcaster;

        Session(Broadcaster broadcaster) {
            this.broadcaster = broadcaster;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                if (done.requestUri().startsWith("/broadcast")) {
                    broadcaster.join(ctx);
                }
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame) {
                // The frame goes back as it is: the encoder writes it unmasked and releases it.
                ctx.write(frame, ctx.voidPromise());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The broadcast's tick: on the event loop, encodes the frame once and hands it to every member. */
    static final class Broadcaster {
        private final ChannelGroup members;
        private final BroadcastTick tick;
        private EventLoop loop;
        private boolean ticking;

        Broadcaster(ChannelGroup members, BroadcastTick tick) {
            this.members = members;
            this.tick = tick;
        }

        /** On the event loop: a member joins; the first starts the tick. */
        void join(ChannelHandlerContext ctx) {
            members.add(ctx.channel());
            loop = ctx.channel().eventLoop();
            if (!ticking) {
                ticking = true;
                loop.schedule(this::tick, tick.start(), TimeUnit.NANOSECONDS);
            }
        }

        private void tick() {
            if (members.isEmpty()) {
                ticking = false;
                return;
            }
            byte[] payload = tick.payload();
            // Header (FIN | binary, the length, 16-bit extended past 125 bytes, no mask), then the payload.
            ByteBuf frame = NettyServers.ALLOCATOR.directBuffer(4 + payload.length).writeByte(0x82);
            if (payload.length > 125) {
                frame.writeByte(126).writeShort(payload.length);
            } else {
                frame.writeByte(payload.length);
            }
            frame.writeBytes(payload);
            // Each member gets a retained duplicate, with a void promise (no future per member);
            // the group releases the original when it has handed it to all.
            members.writeAndFlush(frame, ChannelMatchers.all(), true);
            loop.schedule(this::tick, tick.advance(), TimeUnit.NANOSECONDS);
        }
    }
}
