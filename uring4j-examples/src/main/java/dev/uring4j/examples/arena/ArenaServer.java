package dev.uring4j.examples.arena;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.uring4j.http.Compression;
import dev.uring4j.http.HttpBodyListener;
import dev.uring4j.http.HttpHeader;
import dev.uring4j.http.HttpHeaders;
import dev.uring4j.http.HttpRequest;
import dev.uring4j.http.HttpResponse;
import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.http.StaticFiles;
import dev.uring4j.http.websocket.WebSocket;
import dev.uring4j.http.websocket.WebSocketHandler;
import dev.uring4j.http.websocket.WebSocketRoute;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.TlsConfig;
import dev.uring4j.runtime.Transport;

/**
 * The HttpArena HTTP/1.1 endpoints on uring4j, every handler on the event loop:
 *
 * <ul>
 *   <li>{@code GET /baseline11?a=A&b=B}: the decimal sum; {@code POST} the same with a decimal
 *       integer body (by length or chunked), added to it;</li>
 *   <li>{@code GET /pipeline}: {@code ok};</li>
 *   <li>{@code GET /json/{count}?m=M}: the first {@code count} items of {@code DIR/dataset.json},
 *       each with {@code total = price * quantity * M}, serialized for each request; gzip through
 *       the server's {@link Compression} for clients that accept it;</li>
 *   <li>{@code POST /upload}: the number of body octets read, counted as they stream by;</li>
 *   <li>{@code GET /static/{file}}: the files of {@code DIR/static} ({@link StaticFiles}, with the
 *       precompressed {@code .br}/{@code .gz} siblings a client accepts), 404 for any other; files
 *       of up to 256 KiB are kept in memory and checked against the disk once a second;</li>
 *   <li>{@code GET /ws}: a WebSocket echo of every text and binary message; a plain {@code GET}
 *       without the upgrade gets 400.</li>
 * </ul>
 *
 * <p>Plaintext on one port and, given a certificate, the same endpoints over TLS (HTTP/1.1 by ALPN)
 * on another, both on one loop group. Malformed numbers get {@code 400}.
 */
public final class ArenaServer implements AutoCloseable {
    /** The largest upload: past it, {@code 413}. */
    static final long MAX_BODY_BYTES = 64L << 20;

    /**
     * What to serve and where.
     *
     * @param host the address to bind, {@code 0.0.0.0} for every interface
     * @param port the plaintext port; 0 for any free one
     * @param threads event loops
     * @param data the directory with {@code dataset.json} and, optionally, {@code static/}
     * @param tlsPort the TLS port, when there is a certificate; 0 for any free one
     * @param tlsCert the certificate chain (PEM), or {@code null} for {@code DIR/certs/server.crt} if present
     * @param tlsKey its private key (PEM), or {@code null} for {@code DIR/certs/server.key} if present
     * @param transport the runtime's transport
     */
    public record Options(String host, int port, int threads, Path data, int tlsPort, Path tlsCert, Path tlsKey,
                          Transport transport) {
    }

    private static final HttpHeader TEXT = HttpHeader.of("Content-Type", "text/plain");
    private static final HttpHeader JSON = HttpHeader.of("Content-Type", "application/json");
    private static final byte[] OK = {'o', 'k'};
    /**
     * Static files small enough to keep answer from memory, as a site's hot assets would: no
     * open, stat, read or close per request, while a file changed on disk is seen within a second.
     */
    private static final int CACHED_FILE_BYTES = 256 * 1024;
    private static final long CACHED_TOTAL_BYTES = 64L << 20;
    private static final Duration CACHE_REVALIDATE = Duration.ofSeconds(1);
    /**
     * Receive buffers of 64 KiB rather than the runtime's 4 KiB: an upload of megabytes then
     * arrives in a sixteenth of the completions, each one pass through the body parser, while a
     * small request still fills only the start of its buffer. The price is memory: each loop's
     * buffer ring holds its buffers' worth (512 of them, 32 MiB) whatever the connection count.
     */
    private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    private static final byte[] ITEMS = bytes("{\"items\":[");
    private static final byte[] COUNT = bytes("],\"count\":");
    private static final byte[] ID = bytes("{\"id\":");
    private static final byte[] NAME = bytes(",\"name\":");
    private static final byte[] CATEGORY = bytes(",\"category\":");
    private static final byte[] PRICE = bytes(",\"price\":");
    private static final byte[] QUANTITY = bytes(",\"quantity\":");
    private static final byte[] ACTIVE = bytes(",\"active\":");
    private static final byte[] TAGS = bytes(",\"tags\":[");
    private static final byte[] RATING = bytes("],\"rating\":{\"score\":");
    private static final byte[] RATING_COUNT = bytes(",\"count\":");
    private static final byte[] TOTAL = bytes("},\"total\":");

    private final TcpServer plain;
    private final TcpServer secure;
    private final List<String> notes;

    private ArenaServer(TcpServer plain, TcpServer secure, List<String> notes) {
        this.plain = plain;
        this.secure = secure;
        this.notes = notes;
    }

    /**
     * Reads the data and starts serving.
     *
     * @param o what to serve and where
     * @return the running server
     * @throws IOException if the dataset cannot be read, a certificate not loaded, or a port not bound
     */
    public static ArenaServer start(Options o) throws IOException {
        List<String> notes = new ArrayList<>();
        List<Dataset.Item> items = Dataset.read(o.data().resolve("dataset.json"));
        notes.add("dataset " + o.data().resolve("dataset.json") + ": " + items.size() + " items");
        Path statics = o.data().resolve("static");
        notes.add(Files.isDirectory(statics) ? "/static/ serves " + statics : "no " + statics + ": /static/ answers 404");
        TlsConfig tls = tls(o, notes);
        HttpServer http = HttpServer.builder(router(items, statics))
                .maxBodyBytes(MAX_BODY_BYTES)
                // JSON only, whatever its size: the endpoint's rule is gzip whenever the client accepts it,
                // while the text answers stay as they are. The fastest level: the bodies are a few KiB,
                // and higher levels make compressing most of a request's work for a few percent less.
                .compression(Compression.gzip().withTypes("application/json").withMinimumBytes(0).withLevel(1))
                .build();
        EventLoopGroup group = EventLoopGroup.builder().threads(o.threads()).transport(o.transport())
                .options(LoopOptions.builder().bufferSize(RECEIVE_BUFFER_BYTES).build()).build();
        TcpServer plain = null;
        try {
            plain = http.serve(TcpServer.builder().group(group).address(new InetSocketAddress(o.host(), o.port())));
            TcpServer secure = tls == null ? null : http.serve(TcpServer.builder().group(group)
                    .address(new InetSocketAddress(o.host(), o.tlsPort())).tls(tls));
            return new ArenaServer(plain, secure, notes);
        } catch (IOException | RuntimeException e) {
            if (plain != null) {
                plain.close();
            }
            group.close();
            throw e;
        }
    }

    /** The TLS config: the flags' certificate, else {@code DIR/certs/server.crt} and {@code .key} when both exist; null for none. */
    private static TlsConfig tls(Options o, List<String> notes) throws IOException {
        Path cert = o.tlsCert();
        Path key = o.tlsKey();
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("a TLS certificate and its key go together");
        }
        if (cert == null) {
            cert = o.data().resolve("certs/server.crt");
            key = o.data().resolve("certs/server.key");
            if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
                notes.add("no certificate (" + cert + " and server.key): TLS is off");
                return null;
            }
        }
        notes.add("tls certificate " + cert);
        return TlsConfig.server(cert, key).applicationProtocols("http/1.1").build();
    }

    /** The plaintext listener's address. */
    public InetSocketAddress localAddress() {
        return plain.localAddress();
    }

    /** The TLS listener's address, or null without a certificate. */
    public InetSocketAddress tlsAddress() {
        return secure == null ? null : secure.localAddress();
    }

    /** What the start found worth saying: the dataset, and what is off for lack of files. */
    public List<String> notes() {
        return notes;
    }

    /** The loops both listeners run on. */
    public EventLoopGroup group() {
        return plain.group();
    }

    /** Stops accepting, lets responses in flight drain, and stops the loops. */
    @Override
    public void close() {
        if (secure != null) {
            secure.close();
        }
        plain.close();
        plain.group().close();
    }

    static Router router(List<Dataset.Item> items, Path statics) {
        Dataset.Item[] all = items.toArray(Dataset.Item[]::new);
        return Router.builder()
                .get("/baseline11", (request, response) -> {
                    long sum = sum(request.query());
                    if (sum != BAD) {
                        sendNumber(response, sum);
                    } else {
                        badRequest(response, "want /baseline11?a=INTEGER&b=INTEGER");
                    }
                })
                .post("/baseline11", (request, response) -> {
                    long sum = sum(request.query());
                    if (sum != BAD) {
                        request.onBody(new AddBody(sum));
                    } else {
                        badRequest(response, "want /baseline11?a=INTEGER&b=INTEGER");
                    }
                })
                .get("/pipeline", (request, response) -> response.header(TEXT).send(OK))
                .get("/json/*", (request, response) -> json(all, request, response))
                .post("/upload", (request, response) -> request.onBody(new CountBody()))
                .get("/static/*", StaticFiles.builder(statics).urlPrefix("/static/")
                        .cache(CACHED_FILE_BYTES, CACHED_TOTAL_BYTES, CACHE_REVALIDATE).build())
                .get("/ws", WebSocketRoute.builder(ECHO).build())
                .build();
    }

    /** Sends every message back as it came, from the receive view: no copy, no string. */
    private static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocket socket, MemorySegment data, long offset, int length) {
            socket.sendText(data, offset, length);
        }

        @Override
        public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
            socket.sendBinary(data, offset, length);
        }
    };

    /** A number no valid request sums to, standing for a malformed one. */
    private static final long BAD = Long.MIN_VALUE;

    /** {@code a + b} from the query, or {@link #BAD}. */
    private static long sum(String query) {
        long a = param(query, "a", BAD);
        long b = param(query, "b", BAD);
        if (a == BAD || b == BAD) {
            return BAD;
        }
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return BAD;
        }
    }

    /**
     * The integer value of {@code name} in {@code query} ({@code name=value} pairs split by
     * {@code &}): {@code absent} if it is not there, {@link #BAD} if it is not an integer.
     */
    private static long param(String query, String name, long absent) {
        if (query == null) {
            return absent;
        }
        for (int at = 0; at <= query.length(); ) {
            int end = query.indexOf('&', at);
            if (end < 0) {
                end = query.length();
            }
            if (end - at > name.length() && query.startsWith(name, at) && query.charAt(at + name.length()) == '=') {
                return integer(query, at + name.length() + 1, end);
            }
            at = end + 1;
        }
        return absent;
    }

    /** The decimal integer {@code s[from, to)} with an optional sign, or {@link #BAD}. */
    private static long integer(CharSequence s, int from, int to) {
        boolean negative = from < to && s.charAt(from) == '-';
        int at = negative || (from < to && s.charAt(from) == '+') ? from + 1 : from;
        if (at == to) {
            return BAD;
        }
        long v = 0;
        for (; at < to; at++) {
            char c = s.charAt(at);
            if (c < '0' || c > '9' || v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return BAD;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private static void sendNumber(HttpResponse response, long value) {
        JsonOut out = JsonOut.get().number(value);
        response.header(TEXT).send(out.array(), 0, out.length());
    }

    private static void badRequest(HttpResponse response, String why) {
        response.status(400).header(TEXT).send(bytes(why + "\n"));
    }

    private static void json(Dataset.Item[] items, HttpRequest request, HttpResponse response) {
        String path = request.path();
        long count = integer(path, "/json/".length(), path.length());
        long m = param(request.query(), "m", 1);
        if (count == BAD || count < 0 || m == BAD) {
            badRequest(response, "want /json/COUNT?m=INTEGER");
            return;
        }
        int n = (int) Math.min(count, items.length);
        JsonOut out = JsonOut.get().raw(ITEMS);
        for (int i = 0; i < n; i++) {
            Dataset.Item it = items[i];
            if (i > 0) {
                out.raw(',');
            }
            out.raw(ID).number(it.id()).raw(NAME).raw(it.nameJson()).raw(CATEGORY).raw(it.categoryJson())
                    .raw(PRICE).number(it.price()).raw(QUANTITY).number(it.quantity())
                    .raw(ACTIVE).bool(it.active()).raw(TAGS);
            byte[][] tags = it.tagsJson();
            for (int t = 0; t < tags.length; t++) {
                if (t > 0) {
                    out.raw(',');
                }
                out.raw(tags[t]);
            }
            out.raw(RATING).number(it.ratingScore()).raw(RATING_COUNT).number(it.ratingCount())
                    .raw(TOTAL).number(it.price() * it.quantity() * m).raw('}');
        }
        out.raw(COUNT).number(n).raw('}');
        response.header(JSON).send(out.array(), 0, out.length());
    }

    /** A decimal integer body, added to the query's sum at its end. */
    private static final class AddBody implements HttpBodyListener {
        /** More octets than any 64-bit integer with sign and surrounding white space takes. */
        private static final int MAX_OCTETS = 40;
        private final long sum;
        private final StringBuilder digits = new StringBuilder(24);

        AddBody(long sum) {
            this.sum = sum;
        }

        @Override
        public void onData(HttpRequest request, MemorySegment buffer, long offset, int length) {
            for (int i = 0; i < length && digits.length() <= MAX_OCTETS; i++) {
                digits.append((char) (buffer.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF));
            }
        }

        @Override
        public void onEnd(HttpRequest request, HttpHeaders trailers) {
            String body = digits.toString().strip();
            long value = digits.length() > MAX_OCTETS ? BAD : integer(body, 0, body.length());
            long total;
            try {
                total = value == BAD ? BAD : Math.addExact(sum, value);
            } catch (ArithmeticException e) {
                total = BAD;
            }
            if (total == BAD) {
                badRequest(request.response(), "want a decimal integer body");
            } else {
                sendNumber(request.response(), total);
            }
        }
    }

    /** Counts a body's octets as they arrive and answers the count at its end. */
    private static final class CountBody implements HttpBodyListener {
        private long length;

        @Override
        public void onData(HttpRequest request, MemorySegment buffer, long offset, int n) {
            length += n;
        }

        @Override
        public void onEnd(HttpRequest request, HttpHeaders trailers) {
            sendNumber(request.response(), length);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
