package dev.uring4j.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * The arena peer: the HttpArena endpoints that {@code ./uring4j arena} serves ({@code /baseline11}
 * GET and POST, {@code /pipeline}, {@code /json/{count}}, {@code /upload}) on Netty's HTTP codec,
 * written as the JVM entries of HttpArena write them: the query through {@link QueryStringDecoder},
 * the JSON through Jackson from records made per request, gzip by {@link HttpContentCompressor} (at
 * level 1, as uring4j's arena), request bodies streamed (an upload is counted as it arrives, never
 * aggregated). One event loop on the transport named by {@code --transport}.
 */
public final class NettyArenaServer {
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

    private NettyArenaServer() {}

    /** An item of the dataset. */
    public record Item(long id, String name, String category, long price, long quantity, boolean active, List<String> tags,
                       Rating rating) {
    }

    /** An item's rating. */
    public record Rating(long score, long count) {
    }

    /** An item as {@code /json} answers it: with its total. */
    public record PricedItem(long id, String name, String category, long price, long quantity, boolean active,
                             List<String> tags, Rating rating, long total) {
    }

    /** The {@code /json} answer. */
    public record Items(List<PricedItem> items, int count) {
    }

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("NettyArenaServer", args, Set.of("--transport", "--data"));
        Item[] items = MAPPER.readValue(Path.of(peer.required("--data"), "dataset.json").toFile(), Item[].class);
        NettyServers.serve(peer, peer.options().getOrDefault("--transport", "io_uring"), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(),
                        new HttpContentCompressor(0, StandardCompressionOptions.gzip(1, 15, 8)),
                        new Arena(items));
            }
        });
    }

    /** One connection's requests: answered as their head arrives, or at the end of their body. */
    static final class Arena extends FlushingHandler {
        private static final int NONE = 0;
        private static final int SUM_BODY = 1;
        private static final int COUNT_BODY = 2;

        private final Item[] items;
        private int reading = NONE;
        private boolean keepAlive;
        private long sum;
        private long counted;
        private final StringBuilder digits = new StringBuilder();

        Arena(Item[] items) {
            this.items = items;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    head(ctx, request);
                }
                if (msg instanceof HttpContent content) {
                    if (reading == SUM_BODY) {
                        digits.append(content.content().toString(StandardCharsets.US_ASCII));
                    } else if (reading == COUNT_BODY) {
                        counted += content.content().readableBytes();
                    }
                    if (msg instanceof LastHttpContent) {
                        if (reading == SUM_BODY) {
                            respond(ctx, text(Long.toString(sum + Long.parseLong(digits.toString().strip()))));
                        } else if (reading == COUNT_BODY) {
                            respond(ctx, text(Long.toString(counted)));
                        }
                        reading = NONE;
                    }
                }
            } catch (RuntimeException e) {
                reading = NONE;
                respond(ctx, response(HttpResponseStatus.BAD_REQUEST, TEXT_PLAIN, bytes(e.getMessage() + "\n")));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void head(ChannelHandlerContext ctx, HttpRequest request) {
            keepAlive = HttpUtil.isKeepAlive(request);
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            boolean get = request.method().equals(HttpMethod.GET);
            if (path.equals("/baseline11")) {
                long s = param(uri, "a") + param(uri, "b");
                if (get) {
                    respond(ctx, text(Long.toString(s)));
                } else {
                    sum = s;
                    digits.setLength(0);
                    reading = SUM_BODY;
                }
            } else if (path.equals("/pipeline") && get) {
                respond(ctx, text("ok"));
            } else if (path.startsWith("/json/") && get) {
                int count = Math.min(Integer.parseInt(path.substring("/json/".length())), items.length);
                long m = uri.parameters().containsKey("m") ? param(uri, "m") : 1;
                List<PricedItem> priced = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    Item it = items[i];
                    priced.add(new PricedItem(it.id(), it.name(), it.category(), it.price(), it.quantity(), it.active(),
                            it.tags(), it.rating(), it.price() * it.quantity() * m));
                }
                try {
                    respond(ctx, response(HttpResponseStatus.OK, APPLICATION_JSON, MAPPER.writeValueAsBytes(new Items(priced, count))));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot serialize", e);
                }
            } else if (path.equals("/upload") && !get) {
                counted = 0;
                reading = COUNT_BODY;
            } else {
                respond(ctx, response(HttpResponseStatus.NOT_FOUND, TEXT_PLAIN, new byte[0]));
            }
        }

        private static long param(QueryStringDecoder uri, String name) {
            List<String> values = uri.parameters().get(name);
            if (values == null) {
                throw new IllegalArgumentException("no " + name);
            }
            return Long.parseLong(values.getFirst());
        }

        private static FullHttpResponse text(String body) {
            return response(HttpResponseStatus.OK, TEXT_PLAIN, bytes(body));
        }

        private static FullHttpResponse response(HttpResponseStatus status, AsciiString type, byte[] body) {
            ByteBuf content = Unpooled.wrappedBuffer(body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, false);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            return response;
        }

        private void respond(ChannelHandlerContext ctx, FullHttpResponse response) {
            response.headers().set(HttpHeaderNames.DATE, NettyHttpServer.date(ctx));
            if (keepAlive) {
                ctx.write(response, ctx.voidPromise());
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(f -> ctx.close());
            }
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
