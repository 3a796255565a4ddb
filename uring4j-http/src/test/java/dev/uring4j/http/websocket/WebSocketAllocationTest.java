package dev.uring4j.http.websocket;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.LeakDetection;
import dev.uring4j.runtime.TcpServer;

/**
 * Zero allocation per frame on the loop thread, once warm: receiving masked binary and text frames
 * and pings (header parse, unmasking into the session's buffer, the rules, UTF-8 validation), the
 * handler's echo from the loop (text as octets, without a {@code String}), and the automatic pong.
 * Counted with the JVM's exact per-thread allocation counter. Loops run without leak detection
 * here, which records a stack trace per acquisition.
 */
@ExtendWith(WebSocketTransportTests.class)
class WebSocketAllocationTest {
    private static String leakDetection;

    @BeforeAll
    static void withoutLeakDetection() {
        leakDetection = System.getProperty(LeakDetection.PROPERTY);
        System.setProperty(LeakDetection.PROPERTY, "false");
    }

    @AfterAll
    static void restore() {
        if (leakDetection == null) {
            System.clearProperty(LeakDetection.PROPERTY);
        } else {
            System.setProperty(LeakDetection.PROPERTY, leakDetection);
        }
    }

    @Test
    void binaryAndTextEchoAndPingsAllocateNothingPerFrameOnTheLoop() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        WebSocketOptions options = WebSocketOptions.builder().perMessageDeflate(false).build();
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, MemorySegment data, long offset, int length) {
                socket.sendText(data, offset, length); // the octets back, without a String
            }

            @Override
            public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
                socket.sendBinary(data, offset, length);
            }
        };
        Router router = Router.builder().get("/echo", WebSocketRoute.builder(echo).options(options).build()).build();
        TcpServer server = HttpServer.builder(router).build().serve(TcpServer.builder().threads(1));
        try (RawPeer peer = new RawPeer(new Socket("127.0.0.1", server.localAddress().getPort()), true)) {
            ServerConformanceCases.handshake(peer, "/echo", "");
            CompletableFuture<Long> tid = new CompletableFuture<>();
            server.group().loops().get(0).execute(() -> tid.complete(Thread.currentThread().threadId()));
            long loopThread = tid.get(5, TimeUnit.SECONDS);
            byte[] batch = batch(peer);
            OutputStream out = peer.out;
            DataInputStream in = new DataInputStream(peer.in);
            byte[] back = new byte[16 * (2 + 64) + 2 + 4];
            for (int i = 0; i < 20_000; i++) {
                out.write(batch);
                in.readFully(back);
            }
            long before = threads.getThreadAllocatedBytes(loopThread);
            int frames = 0;
            // Enough frames that the loop's own occasional housekeeping (a few hundred bytes now and
            // then, whatever it serves) stays far below one object per thousand frames.
            for (int i = 0; i < 40_000; i++) {
                out.write(batch);
                in.readFully(back);
                frames += 17;
            }
            long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
            double perFrame = (double) allocated / frames;
            System.out.printf("allocation: %d bytes over %d frames echoed or answered on the loop thread (%.4f per frame)%n",
                    allocated, frames, perFrame);
            assertTrue(perFrame < 0.01, allocated + " bytes allocated for " + frames + " frames");
        } finally {
            server.close();
        }
    }

    /** Sixteen masked 64-octet messages, binary and text in turn, and a ping with a 4-octet payload, in one write. */
    private static byte[] batch(RawPeer peer) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < 16; k++) {
            b.writeBytes(peer.encode(true, 0, k % 2 == 0 ? Cases.BINARY : Cases.TEXT, k % 2 == 0 ? Cases.binary(64) : Cases.ascii(64)));
        }
        b.writeBytes(peer.encode(true, 0, Cases.PING, new byte[] {1, 2, 3, 4}));
        return b.toByteArray();
    }
}
