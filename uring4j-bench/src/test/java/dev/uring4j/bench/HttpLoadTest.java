package dev.uring4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP load tool counts what it claims to: every response parsed, every non-2xx and malformed
 * one counted, against the real servers of the HTTP cells (uring4j's and the C peer) and against
 * scripted servers that answer with chunked bodies, split headers, errors and garbage.
 */
class HttpLoadTest {
    private static BenchEnv env;

    @BeforeAll
    static void buildTools() throws Exception {
        env = NativeTools.env();
        assumeTrue(Files.isExecutable(env.tool("http_load")), () -> "no http_load: " + env.whyMissing("http_load"));
    }

    /** What one run of http_load printed and how it exited. */
    private record Outcome(int exit, Map<String, Object> result, String stderr) {
        long count(String key) {
            return ((Number) result.get(key)).longValue();
        }

        @Override
        public String toString() {
            return "exit " + exit + ", " + result + ", stderr: " + stderr;
        }
    }

    private static Outcome httpLoad(int port, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(env.tool("http_load").toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "http_load did not finish");
        String line = out.lines().filter(l -> l.startsWith("result ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result line: " + out + err));
        assertTrue(out.startsWith("measure-start\nmeasure-end\n"), out);
        return new Outcome(p.exitValue(), Json.parseObject(line.substring("result ".length())), err);
    }

    @Test
    void realServersAnswerEveryRequestPipelinedOrPaced(@TempDir Path dir) throws Exception {
        Path notFound = Files.writeString(dir.resolve("missing.http"), "GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n");
        for (ServerSpec spec : ServerSpec.catalog()) {
            if (!spec.name().equals("uring4j-http") && !spec.name().equals("c-uring-http")) {
                continue;
            }
            try (ServerProcess server = ServerProcess.start(spec, env, Duration.ofSeconds(30))) {
                for (String depth : List.of("1", "8")) {
                    Outcome o = httpLoad(server.port, "--conns", "4", "--depth", depth, "--warmup", "0.2", "--duration", "0.5");
                    String where = spec.name() + " depth " + depth + ": " + o;
                    assertEquals(0, o.exit(), where);
                    assertTrue(o.count("round_trips") > 100, where);
                    assertEquals(0, o.count("non_2xx") + o.count("malformed") + o.count("socket_errors"), where);
                    assertEquals(3, o.count("requests_in_rotation"), where);
                }
                Outcome paced = httpLoad(server.port, "--conns", "8", "--rate", "2000", "--warmup", "0.2", "--duration", "1");
                double rate = ((Number) paced.result().get("rt_per_s")).doubleValue();
                assertTrue(paced.exit() == 0 && rate > 1600 && rate < 2400, spec.name() + " paced at 2000/s: " + paced);

                // A request from a file is what gets sent: a missing page, every answer a 404.
                Outcome missing = httpLoad(server.port, "--conns", "2", "--request", notFound.toString(), "--warmup", "0", "--duration", "0.3");
                assertEquals(3, missing.exit(), spec.name() + ": " + missing);
                assertTrue(missing.count("round_trips") > 0 && missing.count("non_2xx") >= missing.count("round_trips"), spec.name() + ": " + missing);
                assertEquals(0, missing.count("malformed"), spec.name() + ": " + missing);
            }
        }
    }

    @Test
    void theArenaServersAnswerEveryArenaWorkloadUploadsIncluded() throws Exception {
        for (ServerSpec spec : ServerSpec.catalog()) {
            if (!spec.serves("arena")) {
                continue;
            }
            try (ServerProcess server = ServerProcess.start(spec, env, Duration.ofSeconds(30))) {
                for (ArenaCell.Workload workload : ArenaCell.Workload.values()) {
                    if (new ArenaCell(workload, 4).protocol().equals("arena")) {
                        assertCellAnswered(spec, server, workload);
                    }
                }
            }
        }
        // Requests over 64 KiB are sent from the rotation itself, one at a time per connection.
        List<String> upload = new ArenaCell(ArenaCell.Workload.UPLOAD, 1).loadCommand(env, 1, 0, 0.1);
        List<String> deeper = new ArrayList<>(upload.subList(0, upload.size()));
        deeper.set(deeper.indexOf("--depth") + 1, "2");
        Process p = new ProcessBuilder(deeper).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("--depth 1"), out);
    }

    /**
     * The static cell's servers answer every request of its rotation, and answer it alike: a 200
     * whose body is the file itself or, when the file has one, its gzip sibling with
     * {@code Content-Encoding: gzip}, so that neither is measured serving less than the other.
     */
    @Test
    void theStaticServersAnswerEveryFileWithTheSameBytes() throws Exception {
        Path data = ArenaCell.sampleData(env);
        List<byte[]> requests = ArenaCell.Workload.STATIC.requests(data);
        assertEquals(ArenaCell.staticFiles(data).size(), requests.size());
        assertTrue(requests.size() >= 5, "the sample has html, css, js, svg and png files: " + ArenaCell.staticFiles(data));
        List<String> servers = new ArrayList<>();
        for (ServerSpec spec : ServerSpec.catalog()) {
            if (!spec.serves("arena-static")) {
                continue;
            }
            servers.add(spec.name());
            try (ServerProcess server = ServerProcess.start(spec, env, Duration.ofSeconds(30))) {
                assertCellAnswered(spec, server, ArenaCell.Workload.STATIC);
                for (int i = 0; i < requests.size(); i++) {
                    String file = ArenaCell.staticFiles(data).get(i);
                    Path gz = data.resolve("static").resolve(file + ".gz");
                    byte[] expected = Files.readAllBytes(Files.exists(gz) ? gz : data.resolve("static").resolve(file));
                    String head = exchange(server.port, requests.get(i), expected);
                    String where = spec.name() + " /static/" + file + ": " + head;
                    assertTrue(head.startsWith("HTTP/1.1 200 "), where);
                    assertEquals(Files.exists(gz), head.toLowerCase(Locale.ROOT).contains("\r\ncontent-encoding: gzip\r\n"), where);
                }
            }
        }
        assertTrue(servers.contains("uring4j-arena") && servers.contains("nginx-static"), "arena-static servers: " + servers);
    }

    /** One workload's cell, briefly, against a server: every response parsed, every one a 2xx. */
    private static void assertCellAnswered(ServerSpec spec, ServerProcess server, ArenaCell.Workload workload) throws Exception {
        List<String> command = new ArenaCell(workload, 4).loadCommand(env, server.port, 0.2, 0.5);
        String[] flags = command.subList(3, command.size()).toArray(String[]::new); // after the tool and --port P
        Outcome o = httpLoad(server.port, flags);
        String where = spec.name() + " " + workload + ": " + o;
        assertEquals(0, o.exit(), where);
        assertTrue(o.count("round_trips") > 0, where);
        assertEquals(0, o.count("non_2xx") + o.count("malformed") + o.count("socket_errors"), where);
        assertEquals(workload.requests(ArenaCell.sampleData(env)).size(), o.count("requests_in_rotation"), where);
    }

    /**
     * Sends one request on a fresh connection and returns the response's head, after checking that
     * its body (framed by Content-Length) is {@code body}.
     */
    private static String exchange(int port, byte[] request, byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertTrue(b >= 0, "connection closed inside the head: " + head);
                head.append((char) b);
            }
            String lower = head.toString().toLowerCase(Locale.ROOT);
            int at = lower.indexOf("\r\ncontent-length: ");
            assertTrue(at > 0, "no Content-Length: " + head);
            int length = Integer.parseInt(lower.substring(at + 18, lower.indexOf("\r\n", at + 2)).strip());
            assertEquals(body.length, length, head.toString());
            assertArrayEquals(body, in.readNBytes(length), head.toString());
            return head.toString();
        }
    }

    /**
     * Each connection gets these in turn, one per request: two good framings (chunked with an
     * extension and a trailer; Content-Length with the head split mid-line), a 500 with a body, a
     * 204 without one, a 404, then a status line that does not parse, which ends the connection.
     */
    private static final List<List<String>> SCRIPT = List.of(
            List.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHello\r\n8\r\n, World!\r\n0\r\nX-Trailer: 1\r\n\r\n"),
            List.of("HTTP/1.1 200 OK\r\nContent-Ty", "pe: text/plain\r\nContent-Length: 13\r\n\r", "\nHello, World!"),
            List.of("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!"),
            List.of("HTTP/1.1 204 No Content\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n"),
            List.of("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"),
            List.of("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n"));

    @Test
    void countsEveryResponseAndEveryErrorWhateverTheFraming() throws Exception {
        for (String depth : List.of("1", "3")) {
            Outcome o = againstScript(SCRIPT, false, "--conns", "2", "--depth", depth, "--warmup", "0", "--duration", "10");
            String where = "depth " + depth + ": " + o;
            assertEquals(3, o.exit(), where);
            assertEquals(2 * 5, o.count("round_trips"), where);   // all but the malformed one, on each connection
            assertEquals(2 * 2, o.count("non_2xx"), where);       // the 500 and the 404
            assertEquals(2, o.count("malformed"), where);
            assertEquals(0, o.count("socket_errors"), where);
            assertTrue(o.stderr().contains("not a status line"), where);
            assertTrue(((Number) o.result().get("window_s")).doubleValue() < 5, "stops once no connection is left: " + where);
        }
    }

    @Test
    void aBodyWithoutFramingIsMalformed() throws Exception {
        Outcome o = againstScript(List.of(List.of("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nHello")), false,
                "--conns", "3", "--warmup", "0", "--duration", "10");
        assertEquals(3, o.exit(), o.toString());
        assertEquals(3, o.count("malformed"), o.toString());
        assertTrue(o.stderr().contains("neither Content-Length nor chunked"), o.toString());
    }

    @Test
    void aServerThatHangsUpIsASocketError() throws Exception {
        Outcome o = againstScript(List.of(List.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")), true,
                "--conns", "3", "--warmup", "0", "--duration", "10");
        assertEquals(4, o.exit(), o.toString());
        assertEquals(3, o.count("socket_errors"), o.toString());
        assertEquals(3, o.count("round_trips"), o.toString());
        assertEquals(0, o.count("non_2xx") + o.count("malformed"), o.toString());
    }

    /**
     * Runs http_load against a server answering each request with the script's next response
     * (each written in the pieces given, flushed apart), closing after the script when
     * {@code hangUp}, else keeping the connection open and silent until the client leaves.
     */
    private static Outcome againstScript(List<List<String>> script, boolean hangUp, String... flags) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(s, script, hangUp));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            try {
                return httpLoad(listener.getLocalPort(), flags);
            } finally {
                listener.close();
                acceptor.join(5_000);
            }
        }
    }

    private static void serve(Socket s, List<List<String>> script, boolean hangUp) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            byte[] buf = new byte[4096];
            int answered = 0, tail = 0;   // tail: how much of "\r\n\r\n" the bytes so far end with
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    tail = b == (tail % 2 == 0 ? '\r' : '\n') ? tail + 1 : b == '\r' ? 1 : 0;
                    if (tail < 4) {
                        continue;
                    }
                    tail = 0;
                    if (answered < script.size()) {
                        for (String piece : script.get(answered)) {
                            out.write(piece.getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                    answered++;
                    if (hangUp && answered == script.size()) {
                        return;
                    }
                }
            }
        } catch (IOException gone) {
            // the client closed its end when it finished: expected
        }
    }
}
