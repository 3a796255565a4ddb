package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** close_notify is sent on close and honoured on receive; TLS half-close works as a TCP one does. */
class TlsCloseTest {

    @Test
    void thePeersCloseNotifyEndsTheInputAfterItsDataAndOurCloseSendsOne() throws Exception {
        Recorder recorder = new Recorder() {
            @Override
            public void onInputClosed(Connection c) {
                super.onInputClosed(c);
                // The input is done: answer with how much arrived, then close after it drains.
                c.writeAndFlush(("received " + received()).getBytes());
                c.close();
            }
        };
        try (TcpServer server = TcpServer.builder().tls(TlsPeers.server().build()).handler(() -> recorder).start();
             EngineClient client = new EngineClient(server.localAddress(), TlsPeers.jdkContext(null))) {
            byte[] msg = Net.pattern(300_000, 9);
            client.write(msg);
            client.shutdownOutput();
            assertArrayEquals(("received " + msg.length).getBytes(), client.readToEnd(),
                    "the server wrote after our close_notify and closed after the write drained");
            assertTrue(client.closeNotifyReceived, "the server's close sent close_notify before its FIN");
            assertNull(recorder.closed.get(5, TimeUnit.SECONDS), "an orderly close has no cause");
            assertArrayEquals(msg, recorder.bytes(), "every byte before the close_notify was delivered");
            assertEquals(1, recorder.inputClosed.get(), "exactly one end of input");
            assertEquals(0, recorder.dataAfterInputClosed.get());
        }
    }

    @Test
    void ourShutdownOutputSendsCloseNotifyAndWeStillRead() throws Exception {
        Recorder clientSide = new Recorder() {
            @Override
            public void onOpen(Connection c) {
                super.onOpen(c);
                c.writeAndFlush("ping".getBytes());
                c.shutdownOutput();
            }

            @Override
            public void onInputClosed(Connection c) {
                super.onInputClosed(c);
                c.close();
            }
        };
        ConnectionHandler serverSide = new ConnectionHandler() {
            private int received;

            @Override
            public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                received += length;
                return length;
            }

            @Override
            public void onInputClosed(Connection c) {
                // The client's close_notify ended our input; our output is still open.
                c.writeAndFlush(("got " + received + " then close_notify").getBytes());
                c.close();
            }
        };
        try (TcpServer server = TcpServer.builder().tls(TlsPeers.server().build()).handler(() -> serverSide).start();
             TcpClient client = TcpClient.builder().tls(TlsPeers.client().build()).handler(() -> clientSide).build()) {
            client.connect(new java.net.InetSocketAddress("localhost", server.localAddress().getPort())).get(10, TimeUnit.SECONDS);
            assertNull(clientSide.closed.get(10, TimeUnit.SECONDS), "an orderly close");
            assertArrayEquals("got 4 then close_notify".getBytes(), clientSide.bytes(),
                    "after our half-close the server could still answer");
            assertEquals(1, clientSide.inputClosed.get(), "the server's close_notify ended our input once");
        }
    }
}
