package dev.uring4j.bench.soak;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.time.Duration;

/**
 * The HTTP clients of the load, against {@code ./uring4j http}'s routes: {@code GET /} and
 * {@code GET /plaintext} answer {@code Hello, World!}, {@code POST /echo} answers with the request
 * body. Every response's status, framing and body are checked.
 */
final class HttpLanes {
    private HttpLanes() {}

    /** What every HTTP lane shares: a buffered reader per connection and checked responses. */
    abstract static class HttpLane extends Lane {
        final InetSocketAddress server;
        private Socket readerOf;
        private InputStream reader;

        HttpLane(Load load, Tally tally, int id, InetSocketAddress server, Duration pause) {
            super(load, tally, id, pause);
            this.server = server;
        }

        InputStream in(Socket s) throws IOException {
            if (readerOf != s) {
                readerOf = s;
                reader = new BufferedInputStream(s.getInputStream(), 64 << 10);
            }
            return reader;
        }

        /** Reads one response that must be 200 with {@code body} as its body; returns its head. */
        HttpWire.Head readResponse(InputStream in, Payload.Check body, int chunk, long pauseNanos) throws IOException {
            try {
                HttpWire.Head h = HttpWire.readHead(in);
                if (h.status() != 200) {
                    throw new ProtocolException("status " + h.status() + " where 200 was due");
                }
                if (h.chunked()) {
                    for (long n; (n = HttpWire.chunkSize(in)) > 0; ) {
                        if (n > body.remaining()) {
                            tally.bytesCorrupted.add(n - body.remaining());
                            throw new ProtocolException("a chunk of " + n + " bytes where " + body.remaining() + " were due");
                        }
                        readExpected(in, body, n, chunk, pauseNanos);
                        HttpWire.chunkEnd(in);
                    }
                    if (body.remaining() > 0) {
                        throw new ProtocolException("the chunked body ended after " + body.received + " of " + body.length + " bytes");
                    }
                } else {
                    if (h.contentLength() != body.length) {
                        throw new ProtocolException("Content-Length " + h.contentLength() + " where " + body.length + " was due");
                    }
                    readExpected(in, body, chunk, pauseNanos);
                }
                return h;
            } catch (IOException | RuntimeException e) {
                lost(body);
                throw e;
            }
        }
    }

    /** A kept-alive connection, one {@code GET /plaintext} at a time. */
    static final class KeepAlive extends HttpLane {
        private static final byte[] REQUEST = HttpWire.get("/plaintext", false);

        KeepAlive(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, server, Duration.ofMillis(1));
        }

        @Override
        void exchange() throws IOException {
            Socket s = persistent(server, 0);
            s.getOutputStream().write(REQUEST);
            readResponse(in(s), Payload.Check.of(HttpWire.HELLO), Integer.MAX_VALUE, 0);
        }
    }

    /**
     * Sixteen requests in one write (GETs and small POSTs), then the sixteen responses, which must
     * come back in order.
     */
    static final class Pipelined extends HttpLane {
        private static final int DEPTH = 16;
        private static final int[] BODIES = {0, 1, 100, 2000};

        Pipelined(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, server, Duration.ofMillis(5));
        }

        @Override
        void exchange() throws IOException {
            Socket s = persistent(server, 0);
            Payload.Check[] expected = new Payload.Check[DEPTH];
            BufferedOutputStream out = new BufferedOutputStream(s.getOutputStream(), 32 << 10);
            for (int i = 0; i < DEPTH; i++) {
                switch (i % 4) {
                    case 0 -> out.write(HttpWire.get("/", false));
                    case 2 -> {
                        int n = BODIES[(i / 4) % BODIES.length];
                        long seed = nextSeed();
                        out.write(HttpWire.postHead(n));
                        Payload.write(out, Payload.offset(seed), 0, n);
                        expected[i] = Payload.check(seed, n);
                    }
                    default -> out.write(HttpWire.get("/plaintext", false));
                }
                if (expected[i] == null) {
                    expected[i] = Payload.Check.of(HttpWire.HELLO);
                }
            }
            out.flush();
            InputStream in = in(s);
            for (int i = 0; i < DEPTH; i++) {
                try {
                    readResponse(in, expected[i], Integer.MAX_VALUE, 0);
                } catch (IOException e) {
                    for (int j = i + 1; j < DEPTH; j++) {
                        lost(expected[j]);
                    }
                    throw e;
                }
            }
        }
    }

    /**
     * {@code POST /echo} with bodies of 1 to 1.5 MiB on a kept-alive connection, written while the
     * response streams back; alternately with {@code Content-Length} and chunked. With
     * {@code slowReader}, 512 KiB bodies read back 4 KiB every 2 ms through an 8 KiB receive
     * buffer: the server must stop reading the request while the response backs up.
     */
    static final class Post extends HttpLane {
        private static final int[] SIZES = {1 << 20, (3 << 19) + 7};
        private static final int[] SLOW_SIZES = {1 << 19};
        private final boolean slowReader;
        private int k;

        Post(Load load, Tally tally, int id, InetSocketAddress server, boolean slowReader) {
            super(load, tally, id, server, Duration.ofMillis(100));
            this.slowReader = slowReader;
        }

        @Override
        void exchange() throws IOException, InterruptedException {
            int[] sizes = slowReader ? SLOW_SIZES : SIZES;
            int n = sizes[k % sizes.length];
            boolean chunked = !slowReader && k % 2 == 1;
            k++;
            long seed = nextSeed();
            int offset = Payload.offset(seed);
            Socket s = persistent(server, slowReader ? 8 << 10 : 0);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 << 10);
            Writer w = writeAsync(out, o -> {
                if (chunked) {
                    o.write(HttpWire.postChunkedHead());
                    HttpWire.writeChunked(o, offset, n);
                } else {
                    o.write(HttpWire.postHead(n));
                    Payload.write(o, offset, 0, n);
                }
            });
            readResponse(in(s), Payload.check(seed, n), slowReader ? 4 << 10 : Integer.MAX_VALUE,
                    slowReader ? Duration.ofMillis(2).toNanos() : 0);
            w.awaitSuccess();
        }
    }

    /** A connection per request: {@code GET /plaintext} with {@code Connection: close}, then EOF. */
    static final class Churn extends HttpLane {
        private static final byte[] REQUEST = HttpWire.get("/plaintext", true);

        Churn(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, server, Duration.ofMillis(10));
        }

        @Override
        void exchange() throws IOException {
            try (Socket s = connect(server, 0)) {
                socket = s;
                s.getOutputStream().write(REQUEST);
                InputStream in = in(s);
                HttpWire.Head h = readResponse(in, Payload.Check.of(HttpWire.HELLO), Integer.MAX_VALUE, 0);
                if (!h.close()) {
                    throw new ProtocolException("no Connection: close in the answer to a request that asked for it");
                }
                expectEnd(in);
            }
            socket = null;
        }
    }

    /**
     * Resets mid-request: announces a 1 MiB body, sends a quarter of it, reads part of the echo
     * (checked), then closes with SO_LINGER 0.
     */
    static final class Reset extends HttpLane {
        private static final int[] READ_BEFORE_RESET = {0, 16 << 10, 128 << 10};
        private int k;

        Reset(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, server, Duration.ofMillis(20));
        }

        @Override
        void exchange() throws IOException, InterruptedException {
            int n = 1 << 20;
            int keep = READ_BEFORE_RESET[k++ % READ_BEFORE_RESET.length];
            long seed = nextSeed();
            int offset = Payload.offset(seed);
            Socket s = connect(server, 0);
            socket = s;
            Writer w = writeAsync(new BufferedOutputStream(s.getOutputStream(), 64 << 10), out -> {
                out.write(HttpWire.postHead(n));
                Payload.write(out, offset, 0, n / 4);
            });
            if (keep > 0) {
                InputStream in = in(s);
                Payload.Check part = Payload.check(seed, keep);
                HttpWire.Head h;
                try {
                    h = HttpWire.readHead(in);
                } catch (IOException e) {
                    lost(part);
                    throw e;
                }
                if (h.status() != 200 || h.contentLength() != n) {
                    lost(part);
                    throw new ProtocolException("status " + h.status() + ", Content-Length " + h.contentLength()
                            + " where 200 and " + n + " were due");
                }
                readExpected(in, part, Integer.MAX_VALUE, 0);
            }
            reset(s);
            socket = null;
            w.await();     // may fail: the socket was reset under it, as intended
        }
    }
}
