package dev.uring4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.uring4j.runtime.SelfSignedCertificate;

/**
 * {@code uring4j arena} as the script runs it, in a JVM of its own: the repository's sample data by
 * default (found from {@code -During4j.root}), TLS from {@code DIR/certs} when there, the notes and
 * the listening lines in order; and usage errors for flags it does not take.
 */
class ArenaCommandTest {
    /** The checkout: the test runs in the module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Process arena(List<String> jvmArgs, String... args) throws IOException {
        return CliProcess.start(jvmArgs, "arena", args);
    }

    private static List<String> untilListening(Process p) throws IOException {
        return CliProcess.untilListening(p);
    }

    private static int port(String listening) {
        return CliProcess.port(listening);
    }

    @Test
    void servesTheSampleDataByDefaultAndTlsFromTheDataDirectory(@TempDir Path data) throws Exception {
        Process plain = arena(List.of("-During4j.root=" + ROOT), "--port", "0", "--threads", "1");
        try {
            List<String> lines = untilListening(plain);
            assertTrue(lines.stream().anyMatch(l -> l.equals("dataset " + ROOT.resolve("uring4j-examples/arena/dataset.json")
                    + ": 50 items")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("TLS is off")), lines.toString());
            assertTrue(lines.getLast().startsWith("listening on 0.0.0.0:"), lines.toString());
            assertEquals("ok", get(port(lines.getLast()), "/pipeline"));
        } finally {
            plain.destroy();
        }

        Files.copy(ROOT.resolve("uring4j-examples/arena/dataset.json"), data.resolve("dataset.json"));
        Files.createDirectories(data.resolve("certs"));
        SelfSignedCertificate.generate("localhost").writePem(data.resolve("certs/server.crt"), data.resolve("certs/server.key"));
        Process tls = arena(List.of(), "--port", "0", "--tls-port", "0", "--threads", "1", "--data", data.toString());
        try {
            List<String> lines = untilListening(tls);
            String secure = lines.get(lines.size() - 2);
            assertTrue(secure.startsWith("tls listening on 0.0.0.0:"), lines.toString());
            assertTrue(port(secure) > 0);
            assertEquals("3", get(port(lines.getLast()), "/baseline11?a=1&b=2"));
        } finally {
            tls.destroy();
        }
    }

    @Test
    void flagsItDoesNotTakeAreUsageErrors() throws Exception {
        for (String[] args : List.of(new String[] {"--host", "127.0.0.1"}, new String[] {"--tls-cert", "x.pem"},
                new String[] {"--data", "/nonexistent"})) {
            Process p = arena(List.of(), args);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), String.join(" ", args) + ": " + out);
            assertTrue(out.startsWith("uring4j arena: "), out);
        }
    }

    /** The body of {@code GET path}, read to the connection's end. */
    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
