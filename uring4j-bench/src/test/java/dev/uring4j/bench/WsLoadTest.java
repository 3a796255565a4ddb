package dev.uring4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket load tool counts what it claims to: against the cells' servers (uring4j's and
 * Netty's), echoes at a steady rate and every broadcast tick on every connection, none missed; against scripted servers, frames
 * split at every byte are parsed whole, a skipped tick counts as missed, and a masked frame, a
 * close frame or a refused upgrade end the run with the exit status that says so.
 */
class WsLoadTest {
    private static BenchEnv env;

    @BeforeAll
    static void buildTools() throws Exception {
        env = NativeTools.env();
        assumeTrue(Files.isExecutable(env.tool("ws_load")), () -> "no ws_load: " + env.whyMissing("ws_load"));
    }

    private record Outcome(int exit, Map<String, Object> result, String stderr) {
        long count(String key) {
            return ((Number) result.get(key)).longValue();
        }

        double figure(String key) {
            return ((Number) result.get(key)).doubleValue();
        }

        @Override
        public String toString() {
            return "exit " + exit + ", " + result + ", stderr: " + stderr;
        }
    }

    private static Outcome wsLoad(int port, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(env.tool("ws_load").toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ws_load did not finish");
        String line = out.lines().filter(l -> l.startsWith("result ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result line (exit " + p.exitValue() + "): " + out + err));
        assertTrue(out.startsWith("measure-start\nmeasure-end\n"), out);
        return new Outcome(p.exitValue(), Json.parseObject(line.substring("result ".length())), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring4j-ws", "netty-ws-epoll"})
    void againstTheCellsServersEveryEchoAndEveryTickArrives(String name) throws Exception {
        ServerSpec spec = ServerSpec.catalog().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        // The servers run on this JVM's class path, which has Netty and uring4j's modules on it.
        BenchEnv withPeers = new BenchEnv(env.root(), env.nativeDir(), env.java(), env.jvmFlags(), System.getProperty("java.class.path"),
                env.serverCpu(), env.loadCpu(), env.nsPerTick());
        try (ServerProcess server = ServerProcess.start(spec, withPeers, Duration.ofSeconds(30))) {
            Outcome echo = wsLoad(server.port, "--conns", "8", "--mode", "echo", "--path", "/echo", "--warmup", "0.2", "--duration", "0.5");
            assertEquals(0, echo.exit(), echo.toString());
            assertTrue(echo.count("round_trips") > 1000, echo.toString());
            assertEquals(0, echo.count("malformed") + echo.count("socket_errors"), echo.toString());

            Outcome ticks = wsLoad(server.port, "--conns", "10", "--mode", "broadcast", "--path", "/broadcast",
                    "--warmup", "0.2", "--duration", "1");
            assertEquals(0, ticks.exit(), ticks.toString());
            // 60 Hz to 10 connections; the window's edges may cut a tick either way.
            assertTrue(Math.abs(ticks.figure("rt_per_s") - 600) < 60, ticks.toString());
            assertEquals(0, ticks.count("frames_missed_total"), ticks.toString());
            assertTrue(ticks.figure("p50_us") > 0 && ticks.figure("p50_us") < 1_000_000, "lateness is a plausible time: " + ticks);
        }
    }

    /** A broadcast frame as the cells' servers send it: binary, unmasked, due time and sequence number first. */
    private static byte[] tick(long due, long seq, int payload, boolean masked) {
        ByteBuffer b = ByteBuffer.allocate(4 + (masked ? 4 : 0) + payload);
        b.put((byte) 0x82).put((byte) ((masked ? 0x80 : 0) | 126)).putShort((short) payload);
        if (masked) {
            b.putInt(0);
        }
        b.putLong(due).putLong(seq);
        return b.array();
    }

    @Test
    void framesSplitAtEveryByteAreParsedAndASkippedTickIsMissed() throws Exception {
        long now = System.nanoTime();
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (long seq : new long[] {1, 2, 4, 5}) {
            frames.writeBytes(tick(now, seq, 200, false));
        }
        frames.writeBytes(tick(now, 6, 200, true));
        Outcome o = againstScript(101, frames.toByteArray(), "--conns", "2", "--mode", "broadcast", "--warmup", "0", "--duration", "10");
        assertEquals(3, o.exit(), o.toString());
        assertEquals(2, o.count("frames_missed_total"), "tick 3 on each connection: " + o);
        assertEquals(2, o.count("malformed"), "the masked frame on each connection: " + o);
        assertTrue(o.stderr().contains("masked frame"), o.toString());
    }

    @Test
    void aCloseFrameIsASocketErrorAndARefusedUpgradeFailsTheRun() throws Exception {
        Outcome closed = againstScript(101, new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8}, "--conns", "2", "--mode", "broadcast",
                "--warmup", "0", "--duration", "10");
        assertEquals(4, closed.exit(), closed.toString());
        assertEquals(2, closed.count("socket_errors"), closed.toString());

        try (ServerSocket listener = refusing()) {
            Process q = new ProcessBuilder(env.tool("ws_load").toString(), "--port", Integer.toString(listener.getLocalPort()),
                    "--conns", "1", "--duration", "1").redirectErrorStream(true).start();
            String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(3, q.waitFor(), out);
            assertTrue(out.contains("did not upgrade"), out);
        }
    }

    /** A server that answers the upgrade with 400. */
    private static ServerSocket refusing() throws IOException {
        ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = listener.accept()) {
                readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read();
            } catch (IOException gone) {
                // the tool left: expected
            }
        });
        return listener;
    }

    /**
     * Runs ws_load against a server that upgrades each connection (answering {@code status}),
     * then writes {@code frames} one byte at a time, each flushed apart, and waits for the tool to leave.
     */
    private static Outcome againstScript(int status, byte[] frames, String... flags) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(s, status, frames));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            try {
                return wsLoad(listener.getLocalPort(), flags);
            } finally {
                listener.close();
                acceptor.join(5_000);
            }
        }
    }

    private static void serve(Socket s, int status, byte[] frames) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            String head = readHead(in);
            String key = head.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                    .map(l -> l.substring(18).strip()).findFirst().orElse("");
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 " + status + " Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (byte b : frames) {
                out.write(b);
                out.flush();
            }
            while (in.read() >= 0) {
                // until the tool leaves
            }
        } catch (IOException | java.security.NoSuchAlgorithmException gone) {
            // the tool closed its end when it finished: expected
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
