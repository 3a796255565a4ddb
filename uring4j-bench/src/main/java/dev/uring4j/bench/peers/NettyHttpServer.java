package dev.uring4j.bench.peers;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP plaintext peer: Netty's HTTP codec on the transport named by {@code --transport}
 * (default io_uring), answering {@code GET /} and {@code GET /plaintext} with
 * {@code 200 text/plain "Hello, World!"} and a {@code Date} header, as the TechEmpower plaintext
 * implementations do: the body is one shared buffer, the header values are prepared strings, the
 * date string is refreshed once a second on the event loop, and responses are flushed once per
 * read batch so pipelined requests leave in one write. The response's bytes are those of
 * {@code ./uring4j http}: the same header names, order and date format, so both sides of a
 * comparison send (and, over TLS, encrypt) the same number of bytes.
 */
public final class NettyHttpServer {
    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII)));
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString LENGTH = AsciiString.cached(String.valueOf(HELLO.readableBytes()));
    private static volatile AsciiString date = now();
    private static final java.util.concurrent.atomic.AtomicBoolean DATE_TICKING = new java.util.concurrent.atomic.AtomicBoolean();
    /** Requests answered; written by the one event loop only (a release store, no fence per request). */
    private static final AtomicLong REQUESTS = new AtomicLong();

    private NettyHttpServer() {}

    private static AsciiString now() {
        return new AsciiString(HttpDate.IMF_FIXDATE.format(java.time.Instant.now()));
    }

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("NettyHttpServer", args, Set.of("--transport"));
        NettyServers.serve(peer, peer.options().getOrDefault("--transport", "io_uring"), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new Plaintext());
            }
        });
    }

    /** Requests answered so far, from any thread. */
    static long requests() {
        return REQUESTS.get();
    }

    /** The {@code Date} value for now: refreshed once a second on the loop of the first channel that asked. */
    static AsciiString date(ChannelHandlerContext ctx) {
        if (DATE_TICKING.compareAndSet(false, true)) {
            ctx.executor().scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
        }
        return date;
    }

    /** Answers each request as its head arrives; bodies (there are none here) are dropped. */
    static final class Plaintext extends FlushingHandler {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            date(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    REQUESTS.setRelease(REQUESTS.getPlain() + 1);
                    String uri = request.uri();
                    boolean known = uri.equals("/plaintext") || uri.equals("/");
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            known ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                            known ? HELLO.duplicate() : Unpooled.EMPTY_BUFFER, false);
                    // The encoder writes names as given and in the order set: uring4j's order.
                    response.headers()
                            .set(DATE, date)
                            .set(CONTENT_TYPE, TEXT_PLAIN)
                            .set(CONTENT_LENGTH, known ? LENGTH : HttpHeaderValues.ZERO);
                    if (HttpUtil.isKeepAlive(request)) {
                        ctx.write(response, ctx.voidPromise());
                    } else {
                        // Said in the response, as RFC 9112 asks, so that the client opens a new connection.
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        ctx.writeAndFlush(response).addListener(f -> ctx.close());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
