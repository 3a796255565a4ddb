package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.runtime.TcpServer;

/**
 * Request bodies over real sockets, on io_uring and on NIO: a 20 MiB upload whose loop handler
 * pauses and resumes reading stays in bounded memory; uploads in many small writes and requests
 * split at every octet arrive whole; {@code Expect: 100-continue} is answered either way; bodies
 * past the limit get {@code 413}.
 */
@ExtendWith(DefaultTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyNetworkTest {
    private static final int UPLOAD_BYTES = 20 << 20;
    /** The body a paced listener takes before pausing. */
    private static final int PACE_BYTES = 1 << 20;
    /** What the client must have sent past the listener before it resumes: proof the pause held that long. */
    private static final int AHEAD_BYTES = 512 << 10;
    /** Output and kept input the loops may hold for a connection whose handler paused (as for a blocking reader). */
    private static final long HELD_BOUND = 1 << 20;
    private static final int SMALL_LIMIT = 64 << 10;

    private TcpServer server;
    private TcpServer small;
    /** Requests whose paced listener paused, for the test's consumer to resume. */
    private final BlockingQueue<HttpRequest> pausedRequests = new ArrayBlockingQueue<>(64);
    private final AtomicLong pacedReceived = new AtomicLong();
    /** Set by the listener as it pauses, cleared by the consumer before it resumes. */
    private volatile boolean pausedNow;
    private volatile String pauseViolation;

    @BeforeAll
    void start() throws IOException {
        Router router = Router.builder()
                .post("/crc", (request, response) -> request.onBody(new Crc(null)))
                .post("/paced", (request, response) -> request.onBody(new Crc(this)))
                .put("/refuse", (request, response) -> response.status(403).send())
                .build();
        server = HttpServer.builder(router).maxBodyBytes(32 << 20).build().serve(TcpServer.builder().threads(1));
        small = HttpServer.builder(router).maxBodyBytes(SMALL_LIMIT).build()
                .serve(TcpServer.builder().group(server.group()));
    }

    @AfterAll
    void stop() {
        small.close();
        server.close();
    }

    /** Answers {@code length=N crc=C} at the end of the body; when paced, pauses every {@link #PACE_BYTES}. */
    private static final class Crc implements HttpBodyListener {
        private final BodyNetworkTest paced;
        private final CRC32 crc = new CRC32();
        private final byte[] copy = new byte[64 << 10];
        private long length;

        Crc(BodyNetworkTest paced) {
            this.paced = paced;
        }

        @Override
        public void onData(HttpRequest request, MemorySegment buffer, long offset, int n) {
            if (paced != null && paced.pausedNow && paced.pauseViolation == null) {
                paced.pauseViolation = n + " bytes delivered at " + length + " while paused";
            }
            for (int done = 0; done < n; ) {
                int step = Math.min(n - done, copy.length);
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset + done, copy, 0, step);
                crc.update(copy, 0, step);
                done += step;
            }
            length += n;
            if (paced != null) {
                paced.pacedReceived.set(length);
                if (length / PACE_BYTES > (length - n) / PACE_BYTES) { // crossed the next MiB
                    paced.pausedNow = true;
                    request.pauseBody();
                    paced.pausedRequests.add(request);
                }
            }
        }

        @Override
        public void onEnd(HttpRequest request, HttpHeaders trailers) {
            request.response().send(("length=" + length + " crc=" + crc.getValue()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private Socket connect(TcpServer to) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(to.localAddress());
        s.setSoTimeout(30_000);
        return s;
    }

    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String crcAnswer(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return "length=" + body.length + " crc=" + crc.getValue();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aTwentyMiBUploadIsConsumedInBoundedMemoryWhileItsListenerPauses() throws Exception {
        byte[] body = random(UPLOAD_BYTES, 1);
        AtomicLong sent = new AtomicLong();
        int pauses = 0;
        OutputSampler held = new OutputSampler(server);
        try (Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    out.write(ascii("POST /paced HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n"));
                    for (int at = 0; at < body.length; at += 64 << 10) {
                        out.write(body, at, 64 << 10);
                        sent.set(at + (64 << 10));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // The consumer: resumes each pause only once the client got well ahead of the listener,
            // so the rest of the body had to wait somewhere while paused.
            while (pauses < UPLOAD_BYTES / PACE_BYTES) {
                HttpRequest request = pausedRequests.poll(30, TimeUnit.SECONDS);
                assertNotNull(request, "the listener paused after " + pauses + " MiB");
                pauses++;
                long ahead = Math.min(pacedReceived.get() + AHEAD_BYTES, body.length);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (sent.get() < ahead) {
                    assertTrue(System.nanoTime() < deadline, "the client could not send " + AHEAD_BYTES
                            + " bytes past a paused listener: " + sent.get() + " of " + ahead);
                    LockSupport.parkNanos(100_000);
                }
                pausedNow = false; // before the resume is posted to the loop: no data can come before it
                request.resumeBody();
            }
            HttpNetworkCases.Response r = HttpNetworkCases.read(new BufferedInputStream(s.getInputStream()));
            writer.join();
            assertEquals(crcAnswer(body), r.text(), "the body arrived whole, in order");
        } finally {
            held.stop();
        }
        assertNull(pauseViolation, "no data reaches a paused listener");
        System.out.printf("%s: 20 MiB upload paused %d times by its listener; the loops held at most %d bytes%n",
                server.group().transport(), pauses, held.peak());
        assertTrue(held.peak() <= HELD_BOUND, "the loops held " + held.peak() + " bytes of a paused body");
    }

    @Test
    void uploadsInManySmallWritesArriveWhole() throws Exception {
        byte[] body = random(1 << 20, 2);
        Random sizes = new Random(3);
        try (Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            out.write(ascii("POST /crc HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n"));
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, 1 + sizes.nextInt(1500));
                out.write(body, at, n);
                at += n;
            }
            assertEquals(crcAnswer(body), HttpNetworkCases.read(in).text(), "Content-Length body in small writes");
            out.write(ascii("POST /crc HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, 1 + sizes.nextInt(700));
                // Size line, data and CRLF each in writes of their own.
                out.write(ascii(Integer.toHexString(n) + "\r\n"));
                out.write(body, at, n);
                out.write(ascii("\r\n"));
                at += n;
            }
            out.write(ascii("0\r\n\r\n"));
            assertEquals(crcAnswer(body), HttpNetworkCases.read(in).text(), "chunked body in small writes");
        }
    }

    @Test
    void aChunkedRequestSplitAtEveryOctetIsAnsweredTheSame() throws Exception {
        byte[] body = ascii("hello, chunked world: twenty-six+ octets");
        byte[] request = ascii("POST /crc HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n" + Integer.toHexString(body.length - 5) + ";name=value\r\n"
                + new String(body, 5, body.length - 5, StandardCharsets.US_ASCII) + "\r\n0\r\n\r\n");
        assertTrue(Integer.toHexString(body.length - 5).length() == 2, "a size of two digits, to split inside");
        String expected = crcAnswer(body);
        try (Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int split = 1; split < request.length; split++) {
                long before = server.group().stats().bytesRead();
                out.write(request, 0, split);
                // The server has received the first part before the second is sent, so it really
                // sees the request cut there (not two writes merged into one segment).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.group().stats().bytesRead() < before + split) {
                    assertTrue(System.nanoTime() < deadline, "the server never received the first " + split + " bytes");
                    LockSupport.parkNanos(50_000);
                }
                out.write(request, split, request.length - split);
                HttpNetworkCases.Response r = HttpNetworkCases.read(in);
                assertEquals(200, r.status(), "split at " + split);
                assertEquals(expected, r.text(), "split at " + split);
            }
        }
    }

    @Test
    void expectContinueGetsOneHundredContinueThenTheAnswer() throws Exception {
        byte[] body = random(100_000, 4);
        try (Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (String framing : new String[] {"Content-Length: " + body.length, "Transfer-Encoding: chunked"}) {
                out.write(ascii("POST /crc HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n" + framing + "\r\n\r\n"));
                // The body is sent only once the server asked for it.
                HttpNetworkCases.Response interim = HttpNetworkCases.read(in);
                assertEquals(100, interim.status());
                if (framing.startsWith("Transfer")) {
                    out.write(ascii(Integer.toHexString(body.length) + "\r\n"));
                    out.write(body);
                    out.write(ascii("\r\n0\r\n\r\n"));
                } else {
                    out.write(body);
                }
                HttpNetworkCases.Response r = HttpNetworkCases.read(in);
                assertEquals(200, r.status());
                assertEquals(crcAnswer(body), r.text(), framing);
                assertNull(r.headers().get("connection"), "the connection stays open");
            }
        }
    }

    @Test
    void expectContinueRefusedWithoutReadingTheBodyClosesTheConnection() throws Exception {
        try (Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            out.write(ascii("PUT /refuse HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n"));
            HttpNetworkCases.Response r = HttpNetworkCases.read(in);
            assertEquals(403, r.status(), "a final status at once, no 100 Continue");
            // The client may or may not send the body now: the server cannot tell where the next
            // request would start, so it closes (RFC 9110 section 10.1.1).
            assertEquals("close", r.headers().get("connection"));
            assertEquals(-1, in.read(), "closed after the answer");
        }
    }

    @Test
    void bodiesPastTheLimitGet413ByLengthAndWhileChunked() throws Exception {
        try (Socket s = connect(small)) {
            s.getOutputStream().write(ascii("POST /crc HTTP/1.1\r\nHost: t\r\nContent-Length: " + (SMALL_LIMIT + 1)
                    + "\r\n\r\n"));
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpNetworkCases.Response r = HttpNetworkCases.read(in);
            assertEquals(413, r.status(), "refused from the declared length, before the body");
            assertEquals("close", r.headers().get("connection"));
        }
        byte[] exactly = random(SMALL_LIMIT, 5);
        try (Socket s = connect(small)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            postChunked(out, exactly, "");
            assertEquals(crcAnswer(exactly), HttpNetworkCases.read(in).text(), "exactly the limit is allowed");
            postChunked(out, exactly, "1\r\nx\r\n");
            HttpNetworkCases.Response r = HttpNetworkCases.read(in);
            assertEquals(413, r.status(), "refused at the chunk that goes past the limit");
            assertEquals("close", r.headers().get("connection"));
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest);
            assertEquals(0, rest.size(), "nothing after the 413; the connection ends");
        }
    }

    /** A chunked POST of {@code body} in 4 KiB chunks, then {@code more} (further chunks) and the last chunk. */
    private static void postChunked(OutputStream out, byte[] body, String more) throws IOException {
        out.write(ascii("POST /crc HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
        for (int at = 0; at < body.length; at += 4096) {
            out.write(ascii("1000\r\n"));
            out.write(body, at, 4096);
            out.write(ascii("\r\n"));
        }
        out.write(ascii(more + "0\r\n\r\n"));
    }
}
