package dev.uring4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code --carrier loop}: {@code echo --api blocking} and {@code http --virtual-threads} on virtual
 * threads their loops carry, with the JVM option the script passes; without it, a usage error that
 * names the option.
 */
class CarrierCommandTest {
    private static final List<String> OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED");

    @Test
    void theBlockingEchoOnLoopCarriedThreadsEchoes() throws Exception {
        Process p = CliProcess.start(OPENS, "echo", "--port", "0", "--threads", "1", "--api", "blocking",
                "--carrier", "loop");
        try (Socket s = new Socket("127.0.0.1", CliProcess.port(CliProcess.untilListening(p).getLast()))) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 100; i++) {
                byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                out.write(message);
                assertEquals(new String(message, StandardCharsets.US_ASCII),
                        new String(in.readNBytes(message.length), StandardCharsets.US_ASCII));
            }
        } finally {
            p.destroy();
        }
    }

    @Test
    void httpHandlersOnLoopCarriedThreadsAnswer() throws Exception {
        Process p = CliProcess.start(OPENS, "http", "--port", "0", "--threads", "1", "--virtual-threads",
                "--carrier", "loop");
        try (Socket s = new Socket("127.0.0.1", CliProcess.port(CliProcess.untilListening(p).getLast()))) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            assertTrue(response.endsWith("Hello, World!"), response);
        } finally {
            p.destroy();
        }
    }

    @Test
    void withoutTheJvmOptionLoopIsAUsageErrorNamingIt() throws Exception {
        Process p = CliProcess.start(List.of(), "echo", "--port", "0", "--api", "blocking", "--carrier", "loop");
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("--carrier loop") && out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
    }
}
