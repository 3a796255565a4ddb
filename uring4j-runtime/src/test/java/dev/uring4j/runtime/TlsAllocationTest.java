package dev.uring4j.runtime;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Steady-state TLS echo allocates on the loop thread no more than the JDK's engine itself does to
 * read one record and write one: the record layer adds no garbage of its own. The engine's own
 * cost is measured here too, with the cheapest calls it offers (reused heap buffers and arrays).
 */
@ExtendWith(WithoutLeakDetection.class)
class TlsAllocationTest {
    private static final int MESSAGE = 64;

    @Test
    void aTlsEchoAllocatesNoMoreThanTheEngineNeedsForOneRecordEachWay() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<FileChannel> spare = new ArrayList<>();
        while (AllocationTest.lowestFreeDescriptor() < 128) {
            spare.add(FileChannel.open(Path.of("/dev/null")));
        }
        try (TcpServer server = TcpServer.builder().tls(TlsPeers.server().build()).handler(EchoHandler::new).start();
             SSLSocket s = TlsPeers.connect(server.localAddress())) {
            long loopThread = AllocationTest.loopThreadId(server);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] msg = new byte[MESSAGE];
            byte[] back = new byte[MESSAGE];
            for (int i = 0; i < 20_000; i++) {
                out.write(msg);
                in.readFully(back);
            }
            // The engine's own cost, measured between runs of ours, once its code is as compiled as in the loop.
            double engine = engineBytesPerRecordEachWay();
            long before = threads.getThreadAllocatedBytes(loopThread);
            int messages = 20_000;
            for (int i = 0; i < messages; i++) {
                out.write(msg);
                in.readFully(back);
            }
            double perMessage = (double) (threads.getThreadAllocatedBytes(loopThread) - before) / messages;
            engine = (engine + engineBytesPerRecordEachWay()) / 2;
            System.out.printf("TLS echo: %.1f bytes per %d-byte message on the loop thread; the engine alone: %.1f%n",
                    perMessage, MESSAGE, engine);
            assertTrue(perMessage <= engine * 1.02 + 16, "the loop allocated " + perMessage
                    + " bytes per message; the engine alone needs " + engine + " to read and write one record");
        } finally {
            for (FileChannel c : spare) {
                c.close();
            }
        }
    }

    /** Bytes a server engine allocates to unwrap one record of {@link #MESSAGE} bytes and wrap one, in steady state. */
    private static double engineBytesPerRecordEachWay() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new javax.net.ssl.KeyManager[] {new dev.uring4j.runtime.internal.tls.SniKeyManager(
                new dev.uring4j.runtime.internal.tls.KeyMaterial(List.of(TlsPeers.SERVER.certificate()), TlsPeers.SERVER.privateKey()),
                java.util.Map.of())}, null, null);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = TlsPeers.jdkContext(null).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        int packet = server.getSession().getPacketBufferSize();
        ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
        ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        ByteBuffer[] one = new ByteBuffer[1];
        handshake(client, server, toServer, toClient, app);
        ByteBuffer msg = ByteBuffer.allocate(MESSAGE);
        long measured = 0;
        int rounds = 40_000;
        for (int i = 0; i < rounds; i++) {
            msg.clear();
            toServer.clear();
            client.wrap(msg, toServer);
            toServer.flip();
            long before = threads.getThreadAllocatedBytes(self);
            app.clear();
            one[0] = app;
            server.unwrap(toServer, one, 0, 1);
            app.flip();
            toClient.clear();
            one[0] = app;
            server.wrap(one, 0, 1, toClient);
            long after = threads.getThreadAllocatedBytes(self);
            if (i >= rounds / 2) {
                measured += after - before;
            }
            toClient.flip();
            app.clear();
            client.unwrap(toClient, app);
        }
        return (double) measured / (rounds - rounds / 2);
    }

    private static void handshake(SSLEngine client, SSLEngine server, ByteBuffer toServer, ByteBuffer toClient,
                                  ByteBuffer app) throws Exception {
        client.beginHandshake();
        server.beginHandshake();
        ByteBuffer empty = ByteBuffer.allocate(0);
        for (int i = 0; i < 100 && !(done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0); i++) {
            step(client, toServer, toClient, app, empty);
            step(server, toClient, toServer, app, empty);
        }
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** One engine's turn: what it has to send goes to {@code out}, what waits in {@code in} is read. */
    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app, ByteBuffer empty) throws Exception {
        while (true) {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) {
                        t.run();
                    }
                }
                case NEED_WRAP -> e.wrap(empty, out);
                default -> {
                    // Handshake messages, and after the handshake what follows it (a session ticket).
                    if (in.position() == 0) {
                        return;
                    }
                    in.flip();
                    app.clear();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                        return;
                    }
                }
            }
        }
    }
}
