package dev.uring4j.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.uring4j.http.HttpNetworkCases.Response;
import dev.uring4j.runtime.TcpServer;

/**
 * {@link StaticFiles} on the real server, over raw sockets (a client library would normalise the
 * paths these tests send): traversal attempts, symbolic links, directories, ranges, conditional
 * requests, the choice of precompressed siblings by q-values, {@code HEAD}, {@code 405}, and the
 * cache. Runs on both transports (see the pom): on NIO the files are read by the blocking pool.
 */
@ExtendWith(DefaultTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticFilesNetworkTest {
    private static final String SECRET = "the secret outside the root";
    @TempDir
    static Path tmp;
    private Path root;
    private byte[] text;
    private TcpServer server;
    private TcpServer cached;

    @BeforeAll
    void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("www/sub"));
        root = root.getParent();
        text = new byte[5000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + i % 26);
        }
        Files.write(root.resolve("a.txt"), text);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("sub/b.css"), "b{}");
        Files.writeString(root.resolve("app.js"), "identity js");
        Files.writeString(root.resolve("app.js.br"), "brotli bytes");
        Files.writeString(root.resolve("app.js.gz"), "gzip bytes");
        Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("out-link"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("abs-link"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("in-link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(root.resolve("sub/up-dir"), Path.of("../.."));
        StaticFiles files = StaticFiles.builder(root).urlPrefix("/static/").indexFile("index.html").build();
        server = HttpServer.builder(files).build().serve(TcpServer.builder().threads(2));
        StaticFiles cache = StaticFiles.builder(root).cache(64 * 1024, 1 << 20, Duration.ofHours(1)).build();
        cached = HttpServer.builder(cache).build().serve(TcpServer.builder().threads(1));
    }

    @AfterAll
    void stop() {
        server.close();
        cached.close();
    }

    /** Sends {@code request} (a raw head, sent as written) and reads the response. */
    private Response exchange(TcpServer to, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to.localAddress());
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return HttpNetworkCases.read(new BufferedInputStream(s.getInputStream()));
        }
    }

    private Response get(String path, String... headers) throws IOException {
        return exchange(server, "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + String.join("", Arrays.stream(headers)
                .map(h -> h + "\r\n").toList()) + "\r\n");
    }

    @Test
    void servesAFileWithItsValidators() throws Exception {
        Response r = get("/static/a.txt");
        assertEquals(200, r.status());
        assertArrayEquals(text, r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().get("content-type"));
        assertEquals("bytes", r.headers().get("accept-ranges"));
        assertEquals("Accept-Encoding", r.headers().get("vary"));
        assertTrue(r.headers().get("etag").matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\""), r.headers().get("etag"));
        assertEquals(Validators.httpDate(Files.getLastModifiedTime(root.resolve("a.txt")).toInstant().getEpochSecond()),
                r.headers().get("last-modified"));
        assertEquals("<h1>home</h1>", get("/static/").text(), "the index file of the root");
        assertEquals("<h1>home</h1>", get("/static").text());
        assertEquals("b{}", get("/static/sub//b.css").text());
        assertEquals(200, get("/static/in-link.txt").status(), "a link that stays inside");
        assertEquals(404, get("/static/sub/").status(), "a directory without an index file is not listed");
        assertEquals(404, get("/static/missing.txt").status());
        assertEquals(404, get("/static/a.txt/x").status());
    }

    @Test
    void headHasTheHeadersAndNoBodyAndTheConnectionGoesOn() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.localAddress());
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("HEAD /static/a.txt HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /static/sub/b.css HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            String head = new String(in.readNBytes(indexOfEnd(in)), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.contains("Content-Length: " + text.length + "\r\n"), head);
            assertTrue(head.contains("ETag: "), head);
            Response next = HttpNetworkCases.read(in);
            assertEquals("b{}", next.text(), "the next response follows the head at once: no body was sent");
        }
    }

    /** Reads up to and including the blank line that ends a head, without consuming more. */
    private static int indexOfEnd(InputStream in) throws IOException {
        in.mark(1 << 16);
        byte[] b = new byte[1 << 16];
        int n = 0;
        while (n < 4 || !(b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n')) {
            int c = in.read();
            assertTrue(c >= 0, "the connection ended inside a head");
            b[n++] = (byte) c;
        }
        in.reset();
        return n;
    }

    @Test
    void pathsNeverLeaveTheRoot() throws Exception {
        String[] attempts = {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E/secret.txt",
                "/static/.%2e/secret.txt", "/static/sub/%2e%2e/%2e%2e/secret.txt", "/static/sub%2f..%2f..%2fsecret.txt",
                "/static/..%5csecret.txt", "/static/..\\secret.txt", "/static/a.txt%00.png", "/static/out-link",
                "/static/abs-link", "/static/sub/up-dir/secret.txt", "/static//../secret.txt", "/static/%252e%252e/secret.txt",
                "/static/" + tmp.resolve("secret.txt").toString().substring(1), "/static/%2f" + tmp.resolve("secret.txt").toString().substring(1)};
        for (String path : attempts) {
            Response r = get(path);
            assertFalse(r.text().contains(SECRET), path + " leaked the secret");
            // The parser refuses some targets outright (400); what reaches the handler is 404.
            assertTrue(r.status() == 404 || r.status() == 400, path + " gave " + r.status());
        }
        assertEquals(404, get("/static/out-link").status(), "a link out of the root");
        assertEquals(404, get("/static/%2e%2e/secret.txt").status());
    }

    @Test
    void ranges() throws Exception {
        Response r = get("/static/a.txt", "Range: bytes=10-19");
        assertEquals(206, r.status());
        assertEquals("bytes 10-19/5000", r.headers().get("content-range"));
        assertArrayEquals(Arrays.copyOfRange(text, 10, 20), r.body());
        assertArrayEquals(Arrays.copyOfRange(text, 4990, 5000), get("/static/a.txt", "Range: bytes=-10").body());
        assertEquals("bytes 4000-4999/5000", get("/static/a.txt", "Range: bytes=4000-").headers().get("content-range"));
        assertEquals("bytes 4999-4999/5000", get("/static/a.txt", "Range: bytes=4999-999999").headers().get("content-range"));
        Response unsatisfiable = get("/static/a.txt", "Range: bytes=5000-");
        assertEquals(416, unsatisfiable.status());
        assertEquals("bytes */5000", unsatisfiable.headers().get("content-range"));
        assertEquals(200, get("/static/a.txt", "Range: bytes=0-1,5-6").status(), "several ranges: the whole file");
        assertEquals(200, get("/static/a.txt", "Range: bytes=9-3").status(), "invalid: ignored");
        assertEquals(200, get("/static/a.txt", "Range: lines=1-2").status(), "another unit: ignored");
        String etag = get("/static/a.txt").headers().get("etag");
        assertEquals(206, get("/static/a.txt", "Range: bytes=0-0", "If-Range: " + etag).status());
        assertEquals(200, get("/static/a.txt", "Range: bytes=0-0", "If-Range: \"changed\"").status());
        assertEquals(200, get("/static/a.txt", "Range: bytes=0-0", "If-Range: W/" + etag).status(), "weak never matches");
        Response head = exchange(server, "HEAD /static/a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-0\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status(), "HEAD ignores Range");
    }

    @Test
    void conditionalRequestsAnswer304() throws Exception {
        Response first = get("/static/a.txt");
        String etag = first.headers().get("etag");
        String lastModified = first.headers().get("last-modified");
        for (String inm : new String[] {etag, "\"x\", " + etag, "W/" + etag, "*"}) {
            Response r = get("/static/a.txt", "If-None-Match: " + inm);
            assertEquals(304, r.status(), inm);
            assertEquals(etag, r.headers().get("etag"));
            assertEquals(0, r.body().length);
        }
        assertEquals(200, get("/static/a.txt", "If-None-Match: \"x\"", "If-None-Match: \"y\"").status());
        assertEquals(304, get("/static/a.txt", "If-None-Match: \"x\"", "If-None-Match: " + etag).status(), "field lines joined");
        assertEquals(304, get("/static/a.txt", "If-Modified-Since: " + lastModified).status());
        assertEquals(200, get("/static/a.txt", "If-Modified-Since: Thu, 01 Jan 1970 00:00:01 GMT").status());
        assertEquals(200, get("/static/a.txt", "If-None-Match: \"x\"", "If-Modified-Since: " + lastModified).status(),
                "If-None-Match decides alone when present");
    }

    @Test
    void precompressedSiblingsByQValues() throws Exception {
        String[][] cases = {
                {"br, gzip", "br", "brotli bytes"}, {"gzip, br;q=0.5", "gzip", "gzip bytes"},
                {"br;q=0, gzip", "gzip", "gzip bytes"}, {"*", "br", "brotli bytes"}, {"*;q=0, identity", null, "identity js"},
                {"identity;q=0, gzip;q=0.1", "gzip", "gzip bytes"}, {"gzip;q=0, br;q=0", null, "identity js"},
                {"x-gzip", "gzip", "gzip bytes"}, {"deflate", null, "identity js"},
        };
        for (String[] c : cases) {
            Response r = get("/static/app.js", "Accept-Encoding: " + c[0]);
            assertEquals(200, r.status(), c[0]);
            assertEquals(c[1], r.headers().get("content-encoding"), c[0]);
            assertEquals(c[2], r.text(), c[0]);
            assertEquals("text/javascript; charset=utf-8", r.headers().get("content-type"), c[0]);
            assertEquals("Accept-Encoding", r.headers().get("vary"), c[0]);
        }
        assertEquals("identity js", get("/static/app.js").text(), "no Accept-Encoding: identity");
        assertNull(get("/static/a.txt", "Accept-Encoding: br, gzip").headers().get("content-encoding"), "no sibling: identity");
        Response range = get("/static/app.js", "Accept-Encoding: br", "Range: bytes=0-5");
        assertEquals("bytes 0-5/12", range.headers().get("content-range"), "a range of the compressed bytes");
        assertEquals("brotli", range.text());
        assertFalse(get("/static/app.js", "Accept-Encoding: br").headers().get("etag")
                .equals(get("/static/app.js").headers().get("etag")), "each variant has its own tag");
    }

    @Test
    void otherMethodsGet405() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
            Response r = exchange(server, method + " /static/a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            assertEquals(405, r.status(), method);
            assertEquals("GET, HEAD", r.headers().get("allow"), method);
        }
    }

    @Test
    void theCacheServesKeptFilesUntilTheyAreRevalidated() throws Exception {
        Path file = Files.writeString(root.resolve("kept.txt"), "version one");
        assertEquals("version one", exchange(cached, "GET /kept.txt HTTP/1.1\r\nHost: t\r\n\r\n").text());
        Files.writeString(file, "version two, longer");
        // Kept for an hour: the change is not seen, which shows the answer came from memory.
        Response stale = exchange(cached, "GET /kept.txt HTTP/1.1\r\nHost: t\r\n\r\n");
        assertEquals("version one", stale.text());
        String etag = stale.headers().get("etag");
        assertEquals(304, exchange(cached, "GET /kept.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n").status());
        assertEquals("ne", exchange(cached, "GET /kept.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=9-\r\n\r\n").text());
        StaticFiles revalidating = StaticFiles.builder(root).cache(64 * 1024, 1 << 20, Duration.ZERO).build();
        TcpServer checked = HttpServer.builder(revalidating).build().serve(TcpServer.builder().threads(1));
        try {
            assertEquals("version two, longer", exchange(checked, "GET /kept.txt HTTP/1.1\r\nHost: t\r\n\r\n").text());
            Files.writeString(file, "version three");
            assertEquals("version three", exchange(checked, "GET /kept.txt HTTP/1.1\r\nHost: t\r\n\r\n").text(),
                    "checked on every request: the change is seen");
            assertNotNull(revalidating.cache);
            assertEquals("version three".length(), revalidating.cache.totalBytes(), "the replaced copy is forgotten");
        } finally {
            checked.close();
        }
    }

    @Test
    void aMissingDirectoryAnswers404UntilItAppears() throws Exception {
        Path later = tmp.resolve("later");
        TcpServer s = HttpServer.builder(StaticFiles.builder(later).build()).build().serve(TcpServer.builder().threads(1));
        try {
            assertEquals(404, exchange(s, "GET /x.txt HTTP/1.1\r\nHost: t\r\n\r\n").status());
            Files.createDirectories(later);
            Files.writeString(later.resolve("x.txt"), "here now");
            assertEquals("here now", exchange(s, "GET /x.txt HTTP/1.1\r\nHost: t\r\n\r\n").text());
        } finally {
            s.close();
        }
    }
}
