package dev.uring4j.examples;

import java.lang.foreign.MemorySegment;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.TcpServer;

/**
 * An echo server: what an event-loop handler looks like, and how to respect back-pressure.
 *
 * <p>Received bytes are only valid during {@code onData}, so they are written (copied into the
 * connection's output) before returning. When the peer does not read fast enough the connection
 * becomes unwritable: we stop reading, which makes TCP push back on the peer, until it drains.
 * Run: {@code ./uring4j echo --port 7007}.
 */
public final class EchoServer {
    private EchoServer() {}

    /** Echoes every byte back, pausing reads while the output is above its high watermark. */
    public static final class Echo implements ConnectionHandler {
        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            if (!c.write(buffer, offset, length)) {
                c.pauseReading();
                return 0;                      // keep the bytes; they come back after resumeReading()
            }
            c.flush();                         // sent at the end of this loop iteration, coalesced
            if (!c.isWritable()) {
                c.pauseReading();
            }
            return length;
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            if (writable) {
                c.resumeReading();
            }
        }

        @Override
        public void onInputClosed(Connection c) {
            c.close();                         // the peer is done: close once our output has drained
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        try (TcpServer server = TcpServer.builder().port(port).threads(2).handler(Echo::new).start()) {
            System.out.println("listening on " + server.localAddress());
            Thread.currentThread().join();
        }
    }
}
