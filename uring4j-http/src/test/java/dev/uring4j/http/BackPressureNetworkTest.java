package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.runtime.TcpServer;

/**
 * Responses leave at the client's pace over real sockets, on io_uring and on NIO: a streamed body
 * far larger than the connection's output limit reaches a client that reads slowly, with the
 * server's queued output sampled all along; and responses staged behind a slow one, together far
 * more than the output limit, are written out as the client reads instead of all at once.
 *
 * <p>The streamed body is 1 GiB unless {@code -Dhttp.stream.bytes=N} says otherwise.
 */
@ExtendWith(DefaultTransportTests.class)
class BackPressureNetworkTest {
    /** Far below the runtime's default output limit (4 MiB), at which the connection would be aborted. */
    private static final long QUEUED_BOUND = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    private static Socket connect(TcpServer server, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer); // before connecting: the window is advertised then
        s.connect(server.localAddress());
        s.setSoTimeout(30_000);
        return s;
    }

    /** Reads a response head; returns its Content-Length. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed inside a response head: " + head);
            }
            head.append((char) c);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200 "), head.toString());
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }

    @Test
    void aHugeStreamedBodyReachesASlowReaderWhileTheQueuedOutputStaysBounded() throws Exception {
        long length = Long.getLong("http.stream.bytes", 1L << 30);
        PacedWriter.Progress progress = new PacedWriter.Progress();
        TcpServer server = HttpServer.builder(Router.builder().get("/stream", PacedWriter.handler(length, CHUNK, progress)).build())
                .build().serve(TcpServer.builder().threads(1));
        CRC32 expected = new CRC32();
        for (long at = 0; at < length; at += CHUNK) {
            expected.update(PacedWriter.writeAt(at, CHUNK), 0, (int) Math.min(CHUNK, length - at));
        }
        long started = System.nanoTime();
        try (OutputSampler sampler = new OutputSampler(server); Socket s = connect(server, 64 * 1024)) {
            s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // The client reads nothing yet: the server's output backs up past the high watermark.
            sampler.await(server.group().options().highWatermark());
            InputStream in = new BufferedInputStream(s.getInputStream(), CHUNK);
            assertEquals(length, readHead(in));
            CRC32 received = new CRC32();
            byte[] buffer = new byte[CHUNK];
            long got = 0;
            long nextPause = 64 << 20;
            while (got < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - got));
                if (n < 0) {
                    throw new AssertionError("the connection closed after " + got + " of " + length + " octets");
                }
                received.update(buffer, 0, n);
                got += n;
                if (got >= nextPause) {
                    Thread.sleep(20); // intermittently slow: the server's output backs up again
                    nextPause += 64 << 20;
                }
            }
            assertEquals(expected.getValue(), received.getValue(), "every octet arrived, in order");
            sampler.stop();
            System.out.printf("%s: %d MiB streamed in %d ms; the writer waited %d times; peak queued output %d bytes"
                            + " (%d samples)%n", server.group().transport(), length >> 20,
                    (System.nanoTime() - started) / 1_000_000, progress.waits.get(), sampler.peak(),
                    sampler.samples());
            assertTrue(sampler.peak() <= QUEUED_BOUND, "the server's queued output stayed under " + QUEUED_BOUND
                    + " bytes: peak " + sampler.peak());
            assertTrue(progress.waits.get() > 0, "the writer was told to wait");
            assertEquals(1, progress.ended.get());
        } finally {
            server.close();
        }
    }

    @Test
    void responsesStagedBehindASlowOneLeaveAsTheClientReads() throws Exception {
        int count = 12;
        byte[][] bodies = new byte[count][];
        Random random = new Random(11);
        for (int i = 0; i < count; i++) {
            bodies[i] = new byte[1 << 20];
            random.nextBytes(bodies[i]);
        }
        List<HttpResponse> slow = new ArrayList<>();
        int[] next = {0};
        CountDownLatch staged = new CountDownLatch(count);
        Router router = Router.builder()
                .get("/slow", (req, res) -> slow.add(res))
                .get("/big", (req, res) -> {
                    res.send(bodies[next[0]++]);
                    staged.countDown();
                })
                .build();
        // Staging takes all twelve: together they are three times the connection's output limit.
        TcpServer server = HttpServer.builder(router).maxBufferedResponseBytes(32 << 20).build()
                .serve(TcpServer.builder().threads(1));
        try (OutputSampler sampler = new OutputSampler(server); Socket s = connect(server, 64 * 1024)) {
            StringBuilder requests = new StringBuilder("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            requests.append("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".repeat(count));
            s.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            assertTrue(staged.await(30, TimeUnit.SECONDS), "every response behind the slow one is staged");
            server.group().loops().getFirst().execute(() -> slow.getFirst().send("first".getBytes(StandardCharsets.US_ASCII)));
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpNetworkCases.Response first = HttpNetworkCases.read(in);
            assertEquals("first", first.text());
            for (int i = 0; i < count; i++) {
                HttpNetworkCases.Response r = HttpNetworkCases.read(in);
                assertTrue(r != null, "response " + (i + 1) + " arrived");
                assertArrayEquals(bodies[i], r.body(), "response " + (i + 1) + " intact and in order");
                Thread.sleep(5); // a slow reader: what is staged behind waits for it
            }
            sampler.stop();
            System.out.printf("%s: %d staged responses of 1 MiB drained; peak queued output %d bytes%n",
                    server.group().transport(), count, sampler.peak());
            assertTrue(sampler.peak() <= QUEUED_BOUND, "the server's queued output stayed under " + QUEUED_BOUND
                    + " bytes: peak " + sampler.peak());
        } finally {
            server.close();
        }
    }
}
