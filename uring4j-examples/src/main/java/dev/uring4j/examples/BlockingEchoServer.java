package dev.uring4j.examples;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

import dev.uring4j.runtime.BlockingServerSocket;
import dev.uring4j.runtime.BlockingSocket;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.TcpServer;

/**
 * The echo server as plain blocking code: a virtual thread per connection reads and writes as it
 * would with {@link java.net.Socket}, while the event loops do the I/O on io_uring (or NIO). A
 * read finds the bytes the loop has already received, so most reads need no system call; a read
 * that must wait parks its virtual thread until the loop hands it bytes. Where the JVM allows it
 * ({@link EventLoop#ofVirtual()}), the loops carry the threads themselves: a read resumes in the
 * loop's iteration that received its bytes, and a write goes out with that iteration's submission.
 * Run: {@code ./uring4j echo --api blocking --port 7007} (add {@code --carrier loop} for threads the loops carry).
 */
public final class BlockingEchoServer {
    /** Reads that returned at once, reads that waited, and writes, summed over finished connections. */
    public static final LongAdder READS_AT_ONCE = new LongAdder();
    public static final LongAdder READS_THAT_WAITED = new LongAdder();
    public static final LongAdder WRITES = new LongAdder();

    private BlockingEchoServer() {}

    /**
     * Accepts until the server socket closes, echoing each connection on a virtual thread of its
     * own: one the connection's loop carries ({@code onLoops}, see {@link EventLoop#ofVirtual()}),
     * or one of the JDK's.
     */
    public static void serve(BlockingServerSocket server, boolean onLoops) {
        while (true) {
            BlockingSocket socket;
            try {
                socket = server.accept();
            } catch (IOException closed) {
                return;
            }
            (onLoops ? socket.connection().eventLoop().ofVirtual() : Thread.ofVirtual()).name("echo")
                    .start(() -> echo(socket));
        }
    }

    private static void echo(BlockingSocket socket) {
        byte[] buffer = new byte[16 * 1024];
        try (socket) {
            int n;
            while ((n = socket.read(buffer, 0, buffer.length)) > 0) {
                socket.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the peer reset or went away: this connection ends, the others go on
        } finally {
            READS_AT_ONCE.add(socket.readsAtOnce());
            READS_THAT_WAITED.add(socket.readsThatWaited());
            WRITES.add(socket.writes());
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        try (BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().port(port).threads(2))) {
            System.out.println("listening on " + server.localAddress());
            serve(server, EventLoop.virtualThreadsUnavailable() == null);
        }
    }
}
