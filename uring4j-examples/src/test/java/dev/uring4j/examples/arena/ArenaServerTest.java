package dev.uring4j.examples.arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.uring4j.runtime.SelfSignedCertificate;
import dev.uring4j.runtime.Transport;

/**
 * The arena application checked from outside with the repository's sample data, by clients that
 * share no code with it: the JDK's {@link HttpClient} (plaintext and TLS) and raw sockets for what
 * it cannot send (pipelined batches, chunked bodies, an {@code Accept-Encoding}). Expected JSON is
 * built here from {@code dataset.json} read line by line with a pattern, not with the server's reader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArenaServerTest {
    /** The shipped sample data: the test runs in the module's directory. */
    private static final Path SAMPLE = Path.of("arena");
    private static final Pattern ITEM = Pattern.compile("\\{\"id\": (\\d+), \"name\": \"([^\"]*)\", \"category\": \"([^\"]*)\", "
            + "\"price\": (\\d+), \"quantity\": (\\d+), \"active\": (true|false), \"tags\": \\[([^\\]]*)\\], "
            + "\"rating\": \\{\"score\": (\\d+), \"count\": (\\d+)\\}\\}");

    private ArenaServer server;
    private HttpClient client;
    private HttpClient tlsClient;
    private List<Matcher> items;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        // The sample data plus a certificate where the server looks for one by default.
        Files.copy(SAMPLE.resolve("dataset.json"), data.resolve("dataset.json"));
        Files.createDirectories(data.resolve("static"));
        try (var files = Files.list(SAMPLE.resolve("static"))) {
            for (Path file : files.toList()) {
                Files.copy(file, data.resolve("static").resolve(file.getFileName().toString()));
            }
        }
        Files.createDirectories(data.resolve("certs"));
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("localhost");
        certificate.writePem(data.resolve("certs/server.crt"), data.resolve("certs/server.key"));
        server = ArenaServer.start(new ArenaServer.Options("127.0.0.1", 0, 2, data, 0, null, null, Transport.AUTO));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("arena", certificate.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
        items = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLE.resolve("dataset.json"))) {
            Matcher m = ITEM.matcher(line);
            if (m.find()) {
                items.add(m);
            }
        }
        assertEquals(SampleData.ITEMS, items.size(), "every item of the sample data is read");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.localAddress().getPort() + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code /json/count?m=m} body as the dataset says it must be. */
    private String expectedJson(int count, long m) {
        StringBuilder b = new StringBuilder("{\"items\":[");
        int n = Math.min(count, items.size());
        for (int i = 0; i < n; i++) {
            Matcher it = items.get(i);
            long price = Long.parseLong(it.group(4));
            long quantity = Long.parseLong(it.group(5));
            b.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "{\"id\":%s,\"name\":\"%s\",\"category\":\"%s\","
                            + "\"price\":%d,\"quantity\":%d,\"active\":%s,\"tags\":[%s],\"rating\":{\"score\":%s,\"count\":%s},"
                            + "\"total\":%d}", it.group(1), it.group(2), it.group(3), price, quantity, it.group(6),
                    it.group(7).replace(", ", ","), it.group(8), it.group(9), price * quantity * m));
        }
        return b.append("],\"count\":").append(n).append('}').toString();
    }

    @Test
    void baselineSumsTheQueryAndTheBody() throws Exception {
        HttpResponse<String> r = get("/baseline11?a=13&b=29");
        assertEquals(200, r.statusCode());
        assertEquals("42", r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("-5", get("/baseline11?b=-7&a=2").body());
        assertEquals("142", post("/baseline11?a=13&b=29", "100".getBytes(StandardCharsets.US_ASCII)).body());
        assertEquals(400, get("/baseline11?a=1").statusCode());
        assertEquals(400, get("/baseline11?a=1&b=x").statusCode());
        assertEquals(400, post("/baseline11?a=1&b=2", "twelve".getBytes(StandardCharsets.US_ASCII)).statusCode());
        try (Socket s = socket()) {
            send(s, "POST /baseline11?a=1&b=2 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\n10\r\n1\r\n0\r\n0\r\n\r\n");
            Raw chunked = Raw.read(s.getInputStream());
            assertEquals(200, chunked.status());
            assertEquals("103", chunked.text(), "the chunked body 100");
        }
    }

    @Test
    void sixteenPipelinedRequestsGetSixteenOks() throws Exception {
        try (Socket s = socket()) {
            send(s, "GET /pipeline HTTP/1.1\r\nHost: t\r\n\r\n".repeat(16));
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 16; i++) {
                Raw r = Raw.read(in);
                assertEquals(200, r.status(), "response " + i);
                assertEquals("ok", r.text());
                assertEquals("text/plain", r.headers().get("content-type"));
            }
        }
    }

    @Test
    void jsonServesTheFirstItemsWithTheirTotals() throws Exception {
        for (String path : List.of("/json/5?m=3", "/json/1", "/json/50?m=7", "/json/0", "/json/80?m=2")) {
            HttpResponse<String> r = get(path);
            int count = Integer.parseInt(path.substring("/json/".length()).split("\\?")[0]);
            long m = path.contains("m=") ? Long.parseLong(path.substring(path.indexOf("m=") + 2)) : 1;
            assertEquals(200, r.statusCode(), path);
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), "not asked for gzip: " + path);
            assertEquals(expectedJson(count, m), r.body(), path);
        }
        assertEquals(400, get("/json/five").statusCode());
        assertEquals(400, get("/json/5?m=x").statusCode());
    }

    @Test
    void jsonIsGzippedForAClientThatAcceptsIt() throws Exception {
        try (Socket s = socket()) {
            send(s, "GET /json/50?m=2 HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip, br\r\n\r\n"
                    + "GET /json/50?m=2 HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip;q=0\r\n\r\n"
                    + "GET /json/1 HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n"
                    + "GET /pipeline HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            Raw gzipped = Raw.read(in);
            assertEquals("gzip", gzipped.headers().get("content-encoding"));
            assertEquals("Accept-Encoding", gzipped.headers().get("vary"));
            String expected = expectedJson(50, 2);
            try (GZIPInputStream unzip = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                assertEquals(expected, new String(unzip.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertTrue(gzipped.body().length < expected.length() / 3, "compressed: " + gzipped.body().length);
            Raw refused = Raw.read(in);
            assertNull(refused.headers().get("content-encoding"));
            assertEquals(expected, refused.text());
            Raw small = Raw.read(in);
            assertEquals("gzip", small.headers().get("content-encoding"), "gzip whenever accepted, however small");
            try (GZIPInputStream unzip = new GZIPInputStream(new ByteArrayInputStream(small.body()))) {
                assertEquals(expectedJson(1, 1), new String(unzip.readAllBytes(), StandardCharsets.UTF_8));
            }
            Raw text = Raw.read(in);
            assertNull(text.headers().get("content-encoding"), "only JSON is compressed");
            assertEquals("ok", text.text());
        }
    }

    @Test
    void uploadCountsTheBodyOctets() throws Exception {
        byte[] body = new byte[20 << 20];
        new Random(1).nextBytes(body);
        assertEquals(String.valueOf(body.length), post("/upload", body).body());
        assertEquals("0", post("/upload", new byte[0]).body());
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            send(s, "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            long sent = 0;
            for (int size = 1; size < 600_000; size = size * 3 + 1) {
                out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, size);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent += size;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(String.valueOf(sent), Raw.read(s.getInputStream()).text());
        }
    }

    @Test
    void staticFilesRawOrTheirGzipSibling() throws Exception {
        HttpResponse<byte[]> raw = client.send(HttpRequest.newBuilder(URI.create(url("/static/style.css"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, raw.statusCode());
        assertArrayEquals(Files.readAllBytes(SAMPLE.resolve("static/style.css")), raw.body());
        assertEquals("text/css", raw.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        HttpResponse<byte[]> gz = client.send(HttpRequest.newBuilder(URI.create(url("/static/style.css")))
                .header("Accept-Encoding", "br, gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(null));
        assertArrayEquals(Files.readAllBytes(SAMPLE.resolve("static/style.css.gz")), gz.body(), "the precompressed sibling as it is");
        assertEquals(404, get("/static/missing.css").statusCode());
        assertEquals(404, get("/static/..%2fdataset.json").statusCode());
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void theWebSocketEchoesAndAPlainGetIsRefused() throws Exception {
        assertEquals(400, get("/ws").statusCode());
        java.util.concurrent.BlockingQueue<Object> got = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/ws"), new java.net.http.WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            got.add(text.toString());
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket w, java.nio.ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        got.add(b);
                        w.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText("héllo, arena", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("héllo, arena", got.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) got.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void jsonOverTlsWithTheDefaultCertificate() throws Exception {
        String url = "https://localhost:" + server.tlsAddress().getPort() + "/json/3?m=4";
        HttpResponse<String> r = tlsClient.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals(expectedJson(3, 4), r.body());
        assertTrue(server.notes().stream().anyMatch(n -> n.contains("certs/server.crt")), server.notes().toString());
    }

    @Test
    void withoutCertificatesTlsIsOffAndSaysSo(@TempDir Path bare) throws Exception {
        Files.copy(SAMPLE.resolve("dataset.json"), bare.resolve("dataset.json"));
        try (ArenaServer plain = ArenaServer.start(new ArenaServer.Options("127.0.0.1", 0, 1, bare, 0, null, null,
                Transport.AUTO))) {
            assertNull(plain.tlsAddress());
            assertTrue(plain.notes().stream().anyMatch(n -> n.contains("TLS is off")), plain.notes().toString());
            assertTrue(plain.notes().stream().anyMatch(n -> n.contains("static")), plain.notes().toString());
        }
    }

    @Test
    void theShippedSampleDataIsWhatTheGeneratorWrites(@TempDir Path fresh) throws Exception {
        SampleData.write(fresh);
        try (var files = Files.walk(fresh)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path shipped = SAMPLE.resolve(fresh.relativize(file).toString());
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(shipped), shipped + " is the generator's output");
            }
        }
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", server.localAddress().getPort());
        s.setSoTimeout(30_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A response read off a socket: status, headers by lower-case name, body by length or chunks. */
    private record Raw(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static Raw read(InputStream in) throws IOException {
            int status = Integer.parseInt(line(in).split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equals(headers.get("transfer-encoding"))) {
                for (int n = Integer.parseInt(line(in), 16); n > 0; n = Integer.parseInt(line(in), 16)) {
                    body.write(in.readNBytes(n));
                    line(in);
                }
                line(in);
            } else {
                body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
            }
            return new Raw(status, headers, body.toByteArray());
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection ended inside a response");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }
}
