package dev.uring4j.bench.soak;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One client of the load: a virtual thread that repeats one kind of exchange (an echo, a request,
 * a reset) until the load stops, checks every byte that comes back, and counts what happened in
 * its {@link Tally}. An exchange that fails in a way its kind does not intend is an error: the
 * connection is dropped, the bytes still due are lost, and the lane goes on with a new connection.
 * Blocking JDK sockets on virtual threads: the clients share nothing with the server under test.
 */
abstract class Lane {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than any stall the chaos tests provoke (a server stopped for 5 s), short enough to notice a hang. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    final Load load;
    final Tally tally;
    private final Duration pause;
    private final long id;
    private long messages;
    /** The lane's connection when it keeps one open between exchanges. */
    Socket socket;
    final byte[] buffer = new byte[64 << 10];

    Lane(Load load, Tally tally, int id, Duration pause) {
        this.load = load;
        this.tally = tally;
        this.id = id;
        this.pause = pause;
    }

    /** One exchange, verified; throws when it went wrong in a way the lane did not intend. */
    abstract void exchange() throws IOException, InterruptedException;

    /** Whether the lane holds at most one TCP connection at a time (every lane but UDP's). */
    boolean tcp() {
        return true;
    }

    void run() {
        while (load.running()) {
            try {
                exchange();
                tally.ops.increment();
            } catch (IOException | RuntimeException e) {
                load.error(tally, e);
                abort(socket);
                socket = null;
            } catch (InterruptedException e) {
                break;
            }
            LockSupport.parkNanos(pause.toNanos());
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the exchange verified everything; closing is the end of it
            }
        }
    }

    /** A new seed for each message of this lane: no two messages of a run have the same bytes. */
    long nextSeed() {
        return id << 40 | messages++;
    }

    Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);     // before connect, so the window starts small
        }
        s.setTcpNoDelay(true);
        s.connect(address, (int) CONNECT_TIMEOUT.toMillis());
        s.setSoTimeout((int) READ_TIMEOUT.toMillis());
        tally.connections.increment();
        return s;
    }

    /** The persistent connection, opened on first use and after a failure. */
    Socket persistent(InetSocketAddress address, int receiveBuffer) throws IOException {
        if (socket == null) {
            socket = connect(address, receiveBuffer);
        }
        return socket;
    }

    /** Closes with SO_LINGER 0: the kernel drops what is queued and sends RST. */
    void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
        tally.resets.increment();
    }

    static void abort(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    /**
     * Reads until {@code expected} is complete, at most {@code chunk} bytes per read and
     * {@code pauseNanos} between reads (a slow reader), checking every byte. A wrong byte, an
     * early end or a failed read throws after counting the bytes still due as lost (and the wrong
     * ones as corrupted).
     */
    void readExpected(InputStream in, Payload.Check expected, int chunk, long pauseNanos) throws IOException {
        readExpected(in, expected, expected.remaining(), chunk, pauseNanos);
    }

    /** As above for the next {@code count} bytes of {@code expected} only (one chunk of a chunked body). */
    void readExpected(InputStream in, Payload.Check expected, long count, int chunk, long pauseNanos) throws IOException {
        long start = expected.received;
        long end = start + count;
        long wrong = 0;
        try {
            while (expected.received < end) {
                int n = in.read(buffer, 0, (int) Math.min(Math.min(chunk, buffer.length), end - expected.received));
                if (n < 0) {
                    throw new EOFException("the server closed the connection after " + expected.received + " of "
                            + expected.length + " bytes");
                }
                wrong = expected.accept(buffer, 0, n);
                if (wrong > 0) {
                    tally.bytesCorrupted.add(wrong);
                    throw new IOException(wrong + " wrong bytes among bytes " + (expected.received - n) + ".."
                            + expected.received + " of " + expected.length);
                }
                if (pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                }
            }
            tally.bytesVerified.add(count);
        } catch (IOException e) {
            tally.bytesVerified.add(expected.received - start - wrong);
            lost(expected);
            throw e;
        }
    }

    /** The rest of {@code expected} will not come (or is not trusted): lost. */
    void lost(Payload.Check expected) {
        tally.bytesLost.add(Math.max(0, expected.remaining()));
        expected.received = expected.length;
    }

    /** After a reply that should end the stream: anything more than EOF is corrupt. */
    void expectEnd(InputStream in) throws IOException {
        int n = in.read(buffer);
        if (n >= 0) {
            tally.bytesCorrupted.add(Math.max(n, 1));
            throw new IOException(Math.max(n, 1) + " bytes after the end of the reply, where EOF was due");
        }
    }

    /**
     * Writes on a virtual thread of its own, so the lane can read the echo at the same time (a
     * message larger than both ends' socket buffers would deadlock a write-then-read client).
     */
    static Writer writeAsync(OutputStream out, Writer.Body body) {
        return new Writer(out, body);
    }

    /** A write in progress on its own virtual thread. */
    static final class Writer {
        interface Body {
            void writeTo(OutputStream out) throws IOException;
        }

        private final Thread thread;
        private volatile IOException failure;

        private Writer(OutputStream out, Body body) {
            thread = Thread.ofVirtual().name("soak-writer").start(() -> {
                try {
                    body.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    failure = e;
                }
            });
        }

        /** Waits for the write to end; returns how it failed, or null. */
        IOException await() throws InterruptedException {
            if (!thread.join(READ_TIMEOUT)) {
                return new IOException("a write did not finish within " + READ_TIMEOUT.toSeconds() + " s");
            }
            return failure;
        }

        /** Waits for a write that must have succeeded (its whole echo has been read). */
        void awaitSuccess() throws IOException, InterruptedException {
            IOException e = await();
            if (e != null) {
                throw e;
            }
        }
    }
}
