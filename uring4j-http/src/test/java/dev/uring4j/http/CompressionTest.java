package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.uring4j.runtime.TcpServer;

/**
 * Gzip of dynamic responses ({@link Compression}): which requests and responses are compressed
 * (q-values, types, sizes, statuses, {@code HEAD}, a body already encoded), and that what is sent
 * decodes to the original with the JDK's {@link GZIPInputStream} and with {@code curl --compressed},
 * whole, streamed with a length, chunked, from arrays and from native memory.
 */
class CompressionTest {
    private static final byte[] TEXT = text(10_000);
    private static final byte[] LARGE = text(300_000);
    private static final HttpHeader JSON = HttpHeader.of("Content-Type", "application/json; charset=utf-8");

    /** Compressible text: words from a small vocabulary, as JSON and HTML are. */
    private static byte[] text(int length) {
        String[] words = {"alpha", "beta", "gamma", "delta", "{\"id\":", "\"name\":", "true,", "false,", "[1,2,3]"};
        Random random = new Random(length);
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            b.append(words[random.nextInt(words.length)]).append(' ');
        }
        return b.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }

    private static final Router ROUTER = Router.builder()
            .get("/text", (request, response) -> response.header("Content-Type", "text/html").send(TEXT))
            .get("/json", (request, response) -> response.header(JSON).send(TEXT))
            .get("/large", (request, response) -> response.header("Content-Type", "text/plain").send(LARGE))
            .get("/small", (request, response) -> response.header("Content-Type", "text/plain").send(text(100)))
            .get("/png", (request, response) -> response.header("Content-Type", "image/png").send(TEXT))
            .get("/encoded", (request, response) -> response.header("Content-Type", "text/plain")
                    .header("Content-Encoding", "br").send(TEXT))
            .get("/not-modified", (request, response) -> response.header("Content-Type", "text/plain").status(304).send())
            .get("/no-content", (request, response) -> response.header("Content-Type", "text/plain").status(204).send())
            .get("/streamed", (request, response) -> {
                response.header("Content-Type", "text/plain").start(LARGE.length);
                for (int at = 0; at < LARGE.length; at += 30_000) {
                    response.write(LARGE, at, Math.min(30_000, LARGE.length - at));
                }
                response.end();
            })
            .get("/chunked", (request, response) -> {
                response.header("Content-Type", "text/plain").startChunked();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment native_ = arena.allocate(LARGE.length);
                    MemorySegment.copy(MemorySegment.ofArray(LARGE), 0, native_, 0, LARGE.length);
                    for (int at = 0; at < LARGE.length; at += 70_000) {
                        response.write(native_, at, Math.min(70_000, LARGE.length - at));
                    }
                }
                response.end();
            })
            .build();

    private static final HttpServer SERVER = HttpServer.builder(ROUTER)
            .compression(Compression.gzip().withMinimumBytes(1000)).build();

    private static Responses.Response get(String path, String acceptEncoding, boolean head) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(SERVER);
        t.receive((head ? "HEAD " : "GET ") + path + " HTTP/1.1\r\nHost: a\r\n"
                + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n") + "\r\n");
        return Responses.finals(t.output(), false, head).getFirst();
    }

    private static byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aWholeBodyIsCompressedWithItsCompressedLength() {
        for (String path : List.of("/text", "/json")) {
            Responses.Response r = get(path, "gzip", false);
            assertEquals("gzip", r.header("Content-Encoding"), path);
            assertEquals("Accept-Encoding", r.header("Vary"));
            assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));
            assertTrue(r.body().length < TEXT.length / 3, "compressed to " + r.body().length);
            assertArrayEquals(TEXT, gunzip(r.body()), path);
        }
    }

    @Test
    void largeAndStreamedBodiesAreCompressedChunked() {
        for (String path : List.of("/large", "/streamed", "/chunked")) {
            Responses.Response r = get(path, "gzip", false);
            assertEquals("gzip", r.header("Content-Encoding"), path);
            assertEquals("chunked", r.header("Transfer-Encoding"), path);
            assertNull(r.header("Content-Length"), path);
            assertArrayEquals(LARGE, gunzip(r.body()), path);
        }
    }

    @Test
    void qValuesDecide() {
        record Case(String acceptEncoding, boolean gzip) {}
        for (Case c : List.of(
                new Case("gzip", true),
                new Case("GZIP", true),
                new Case("x-gzip", true),
                new Case("deflate, gzip;q=0.5, br", true),
                new Case("br;q=1.0, gzip ; q=0.001", true),
                new Case("gzip;q=0", false),
                new Case("gzip;q=0.000, *", false),
                new Case("gzip; q=0.0", false),
                new Case("*", true),
                new Case("*;q=0", false),
                new Case("br, *;q=0.1", true),
                new Case("identity", false),
                new Case("br, deflate", false),
                new Case("gzip;q=nonsense", false),
                new Case("", false),
                new Case(null, false))) {
            Responses.Response r = get("/text", c.acceptEncoding(), false);
            assertEquals(c.gzip() ? "gzip" : null, r.header("Content-Encoding"), "Accept-Encoding: " + c.acceptEncoding());
            assertEquals("Accept-Encoding", r.header("Vary"), "Vary either way: " + c.acceptEncoding());
            assertArrayEquals(TEXT, c.gzip() ? gunzip(r.body()) : r.body());
        }
    }

    @Test
    void smallBodiesOtherTypesAndEncodedBodiesAreSentAsTheyAre() {
        Responses.Response small = get("/small", "gzip", false);
        assertNull(small.header("Content-Encoding"));
        assertNull(small.header("Vary"), "no client would get it compressed");
        assertEquals("100", small.header("Content-Length"));
        Responses.Response png = get("/png", "gzip", false);
        assertNull(png.header("Content-Encoding"));
        assertArrayEquals(TEXT, png.body());
        Responses.Response encoded = get("/encoded", "gzip", false);
        assertEquals("br", encoded.header("Content-Encoding"), "never encoded twice");
        assertArrayEquals(TEXT, encoded.body());
    }

    @Test
    void headGetsTheHeadersOfGetAndBodilessStatusesAreUntouched() {
        Responses.Response get = get("/text", "gzip", false);
        Responses.Response head = get("/text", "gzip", true);
        assertEquals(0, head.body().length);
        assertEquals("gzip", head.header("Content-Encoding"));
        assertEquals(get.header("Content-Length"), head.header("Content-Length"));
        for (String path : List.of("/not-modified", "/no-content")) {
            Responses.Response r = get(path, "gzip", false);
            assertNull(r.header("Content-Encoding"), path);
            assertNull(r.header("Vary"), path);
            assertNull(r.header("Content-Length"), path);
        }
    }

    @Test
    void pipelinedRequestsEachGetTheirOwnAnswer() {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(SERVER);
        t.receive("GET /text HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n"
                + "GET /text HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /chunked HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n"
                + "GET /large HTTP/1.1\r\nHost: a\r\nAccept-Encoding: *\r\n\r\n");
        List<Responses.Response> all = Responses.finals(t.output(), false);
        assertArrayEquals(TEXT, gunzip(all.get(0).body()));
        assertArrayEquals(TEXT, all.get(1).body());
        assertArrayEquals(LARGE, gunzip(all.get(2).body()));
        assertArrayEquals(LARGE, gunzip(all.get(3).body()));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Compression.gzip().withLevel(0));
        assertThrows(IllegalArgumentException.class, () -> Compression.gzip().withMinimumBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> Compression.gzip().withTypes("text"));
        assertThrows(IllegalArgumentException.class, () -> Compression.gzip().withTypes("*/json"));
        Compression c = Compression.gzip().withTypes("application/wasm", "font/*", "+yaml").withLevel(1);
        assertEquals(1, c.level());
        assertEquals(List.of("application/wasm", "font/*", "+yaml"), List.of(c.types()));
    }

    @Test
    void curlDecodesWhatTheRealServerCompresses(@TempDir Path directory) throws Exception {
        Tool.assumeInstalled("curl");
        TcpServer server = SERVER.serve(TcpServer.builder().threads(1));
        try {
            for (String path : List.of("/text", "/large", "/streamed", "/chunked")) {
                Path body = directory.resolve("body");
                String url = "http://127.0.0.1:" + server.localAddress().getPort() + path;
                Tool.Run run = Tool.run(directory, "", "curl", "-sS", "--compressed", "-o", body.toString(),
                        "-w", "%{size_download} %{http_code}", url);
                assertEquals(0, run.exitCode(), run.toString());
                byte[] expected = path.equals("/text") ? TEXT : LARGE;
                assertArrayEquals(expected, Files.readAllBytes(body), path + ": " + run);
                long onTheWire = Long.parseLong(run.out().split(" ")[0]);
                assertTrue(onTheWire < expected.length / 3, path + " came compressed: " + onTheWire + " bytes");
            }
        } finally {
            server.close();
        }
    }
}
