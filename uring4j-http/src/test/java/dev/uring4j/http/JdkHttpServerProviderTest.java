package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;

import dev.uring4j.http.jdk.UringHttpServerProvider;
import dev.uring4j.runtime.SelfSignedCertificate;

/**
 * The same small application written against {@code com.sun.net.httpserver} runs on the JDK's own
 * provider and on {@link UringHttpServerProvider}, and the JDK's {@link HttpClient} gets the same
 * answers from both: status, body, and the headers the application set or that frame the body, in
 * plaintext and over TLS.
 * The uring4j side runs on the transport of the surefire execution (io_uring, then NIO).
 */
@ExtendWith(DefaultTransportTests.class)
class JdkHttpServerProviderTest {
    private static final byte[] UPLOAD = pattern(3 << 20);
    private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.generate("localhost");

    /** What is compared: status, body, and these headers (lower-case; absent ones as null). */
    record Answer(int status, String body, List<String> headers) {
    }

    private static final List<String> COMPARED = List.of("content-type", "x-filter", "x-length", "x-crc", "x-echo",
            "x-context", "www-authenticate", "transfer-encoding");

    /** The JDK's built-in provider; the test JVM exports its package (see the pom). */
    private static HttpServerProvider jdkProvider() throws ReflectiveOperationException {
        return (HttpServerProvider) Class.forName("sun.net.httpserver.DefaultHttpServerProvider")
                .getDeclaredConstructor().newInstance();
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 13 + i / 1021);
        }
        return b;
    }

    /** The application, as anyone would write it against the JDK's API. */
    private static void app(HttpServer server) {
        server.createContext("/hello", exchange -> {
            byte[] body = ("hello " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getProtocol()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Echo", String.valueOf(exchange.getRequestHeaders().getFirst("X-Test")));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/upload", exchange -> {
            CRC32 crc = new CRC32();
            long length = 0;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[10_000];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                    length += n;
                }
            }
            exchange.getResponseHeaders().set("X-Length", Long.toString(length));
            exchange.getResponseHeaders().set("X-CRC", Long.toString(crc.getValue()));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(pattern(200_000));
            }
        });
        server.createContext("/tls", exchange -> answerContext(exchange,
                exchange instanceof HttpsExchange tls ? tls.getSSLSession().getProtocol() : "plaintext"));
        server.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
        });
        HttpContext context = server.createContext("/app", exchange -> answerContext(exchange, "app"));
        server.createContext("/app/deeper", exchange -> answerContext(exchange, "deeper"));
        context.getAttributes().put("greeting", "hi");
        context.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                exchange.getResponseHeaders().set("X-Filter", "before " + exchange.getAttribute("greeting"));
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "adds X-Filter";
            }
        });
        server.createContext("/secret", exchange -> answerContext(exchange, "secret " + exchange.getPrincipal().getUsername()))
                .setAuthenticator(new BasicAuthenticator("test") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return user.equals("ann") && password.equals("pw");
                    }
                });
    }

    private static void answerContext(HttpExchange exchange, String name) throws IOException {
        byte[] body = (name + " " + exchange.getHttpContext().getPath()).getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("X-Context", name);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Runs the application on {@code provider}, over TLS if {@code https}, and asks it everything the test compares. */
    private static List<Answer> answersFrom(HttpServerProvider provider, boolean https) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        HttpServer server;
        if (https) {
            HttpsServer tls = provider.createHttpsServer(loopback, 0);
            tls.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
            server = tls;
        } else {
            server = provider.createHttpServer(loopback, 0);
        }
        app(server);
        server.start();
        HttpClient.Builder clientBuilder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (https) {
            clientBuilder.sslContext(dev.uring4j.http.HttpsServer.trusting(CERTIFICATE.certificate()));
        }
        try (HttpClient client = clientBuilder.build()) {
            URI base = URI.create((https ? "https" : "http") + "://localhost:" + server.getAddress().getPort());
            List<HttpRequest> requests = List.of(
                    HttpRequest.newBuilder(base.resolve("/hello?x=1")).header("X-Test", "t1").build(),
                    HttpRequest.newBuilder(base.resolve("/hello/more")).method("PUT", HttpRequest.BodyPublishers.ofString("ignored")).build(),
                    HttpRequest.newBuilder(base.resolve("/upload")).POST(HttpRequest.BodyPublishers.ofByteArray(UPLOAD)).build(),
                    HttpRequest.newBuilder(base.resolve("/chunked")).build(),
                    HttpRequest.newBuilder(base.resolve("/empty")).build(),
                    HttpRequest.newBuilder(base.resolve("/tls")).build(),
                    HttpRequest.newBuilder(base.resolve("/app/x")).build(),
                    HttpRequest.newBuilder(base.resolve("/app/deeper/y")).build(),
                    HttpRequest.newBuilder(base.resolve("/apple")).build(),
                    HttpRequest.newBuilder(base.resolve("/missing")).build(),
                    HttpRequest.newBuilder(base.resolve("/secret")).build(),
                    HttpRequest.newBuilder(base.resolve("/secret")).header("Authorization", "Basic "
                            + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.US_ASCII))).build());
            List<Answer> answers = new ArrayList<>();
            for (HttpRequest request : requests) {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
                List<String> headers = new ArrayList<>();
                for (String name : COMPARED) {
                    headers.add(name + ": " + r.headers().firstValue(name).map(v -> v.toLowerCase()).orElse(null));
                }
                answers.add(new Answer(r.statusCode(), r.body(), headers));
            }
            return answers;
        } finally {
            server.stop(0);
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", CERTIFICATE.privateKey(), new char[0], new Certificate[] {CERTIFICATE.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void theSameApplicationAnswersTheSameOnBothProviders() throws Exception {
        compare(false);
    }

    @Test
    void theSameApplicationAnswersTheSameOverTlsOnBothProviders() throws Exception {
        compare(true);
    }

    private static void compare(boolean https) throws Exception {
        List<Answer> jdk = answersFrom(jdkProvider(), https);
        List<Answer> ours = answersFrom(new UringHttpServerProvider(), https);
        assertEquals(jdk.size(), ours.size());
        for (int i = 0; i < jdk.size(); i++) {
            assertEquals(jdk.get(i), ours.get(i), "answer " + i);
            Answer a = ours.get(i);
            System.out.println(a.status() + " " + a.headers() + " " + a.body().length() + " octets: "
                    + a.body().substring(0, Math.min(40, a.body().length())).replace("\n", "|"));
        }
        assertEquals((https ? "TLSv1.3" : "plaintext") + " /tls", ours.get(5).body());
        assertEquals(404, ours.get(9).status(), "no context for /missing");
        assertEquals(401, ours.get(10).status(), "no credentials");
        assertEquals("secret ann /secret", ours.get(11).body());
    }

    @Test
    void theSystemPropertySelectsTheProvider() {
        // The JDK reads the property once, on the first call: no other test of this JVM asks for it.
        System.setProperty("com.sun.net.httpserver.HttpServerProvider", UringHttpServerProvider.class.getName());
        assertInstanceOf(UringHttpServerProvider.class, HttpServerProvider.provider());
    }

    @Test
    void contextsFollowTheJdkRules() throws Exception {
        HttpServer server = new UringHttpServerProvider().createHttpServer(null, 0);
        assertThrows(IllegalArgumentException.class, () -> server.createContext("no-slash", exchange -> { }));
        HttpContext a = server.createContext("/a", exchange -> { });
        assertThrows(IllegalArgumentException.class, () -> server.createContext("/a", exchange -> { }));
        server.removeContext(a);
        assertThrows(IllegalArgumentException.class, () -> server.removeContext("/a"));
        assertThrows(IllegalStateException.class, server::start, "not bound");
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        assertNotNull(server.getAddress());
        assertTrue(server.getAddress().getPort() > 0, "bound at bind: the port is known before start");
        server.start();
        assertThrows(IllegalStateException.class, () -> server.setExecutor(Runnable::run));
        server.stop(0);
    }
}
