package dev.uring4j.runtime.internal.uring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.AcceptMode;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.UringOptions;

/**
 * A connection the acceptor cannot hand to its target loop (the target's registered file table is
 * full behind the runtime's back, so {@code msg_ring} fd passing fails) is closed and no longer
 * counted: the server's connection count returns to zero and its other connections are served.
 */
@Tag("io_uring")
class HandOverFailureTest {
    private static final int TABLE = 8;

    private static final class Echo implements ConnectionHandler {
        @Override
        public int onData(Connection c, java.lang.foreign.MemorySegment buffer, long offset, int length) {
            c.writeAndFlush(buffer, offset, length);
            return length;
        }

        @Override
        public void onInputClosed(Connection c) {
            c.close();
        }
    }

    @Test
    void aFailedHandOverClosesTheConnectionAndUncountsIt() throws Exception {
        LoopOptions options = LoopOptions.builder().uring(UringOptions.builder().registeredFiles(TABLE).build()).build();
        try (EventLoopGroup group = EventLoopGroup.builder().threads(2).options(options).transport(Transport.IO_URING)
                .build()) {
            UringEventLoop target = (UringEventLoop) group.loops().get(1);
            assumeTrue(target.paths.direct, "hand-over by msg_ring fd passing needs direct descriptors");
            int[] fillers = new int[TABLE];
            for (int i = 0; i < TABLE; i++) {
                fillers[i] = LibC.eventfd(0, LibC.EFD_CLOEXEC);
            }
            CompletableFuture<Void> filled = new CompletableFuture<>();
            target.execute(() -> {
                try {
                    target.ring.registerFilesUpdate(0, fillers);
                    filled.complete(null);
                } catch (Throwable t) {
                    filled.completeExceptionally(t);
                }
            });
            filled.get(5, TimeUnit.SECONDS);
            try (TcpServer server = TcpServer.builder().group(group).acceptMode(AcceptMode.ACCEPTOR)
                    .handler(Echo::new).start()) {
                assumeTrue(server.acceptMode() == AcceptMode.ACCEPTOR, "acceptor mode with fd passing");
                int served = 0;
                int closed = 0;
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
                    s.setSoTimeout(5000);
                    sockets.add(s);
                }
                for (Socket s : sockets) {
                    if (echoes(s)) {
                        served++;
                    } else {
                        closed++;
                    }
                    s.close();
                }
                assertTrue(closed > 0, "some connections were handed to the full table and closed");
                assertTrue(served > 0, "the acceptor's own connections were served");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.connections() != 0 && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                assertEquals(0, server.connections(), "a failed hand-over does not stay counted");
            } finally {
                for (int fd : fillers) {
                    LibC.close(fd);
                }
            }
        }
    }

    /** Whether the connection echoes; {@code false} when the server closed it (EOF or reset). */
    private static boolean echoes(Socket s) throws IOException {
        try {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {42});
            InputStream in = s.getInputStream();
            return in.read() == 42;
        } catch (SocketException reset) {
            return false;
        }
    }
}
