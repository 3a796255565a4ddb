package dev.uring4j.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** The TCP echo clients of the load, one class per kind of exchange. */
final class EchoLanes {
    private EchoLanes() {}

    /** A kept-alive connection echoing messages from 1 byte to 64 KiB, one at a time. */
    static final class KeepAlive extends Lane {
        private static final int[] SIZES = {1, 64, 512, 1500, 4096, 16384, 65536};
        private final InetSocketAddress server;
        private int k;

        KeepAlive(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, Duration.ofMillis(2));
            this.server = server;
        }

        @Override
        void exchange() throws IOException {
            Socket s = persistent(server, 0);
            int n = SIZES[k++ % SIZES.length];
            long seed = nextSeed();
            // Fits both ends' socket buffers: written whole, then read back.
            Payload.write(s.getOutputStream(), Payload.offset(seed), 0, n);
            readExpected(s.getInputStream(), Payload.check(seed, n), Integer.MAX_VALUE, 0);
        }
    }

    /**
     * A kept-alive connection echoing messages of 1 to 4 MiB, written and read at the same time;
     * with {@code slowReader} the client's receive buffer is 8 KiB and it reads 4 KiB every 2 ms,
     * so the server's output backs up and it must stop reading that connection until it drains.
     */
    static final class Large extends Lane {
        private static final int[] SIZES = {1 << 20, (2 << 20) + 13, Payload.MAX_MESSAGE - 1};
        private static final int[] SLOW_SIZES = {1 << 20, (1 << 20) - 7};
        private final InetSocketAddress server;
        private final boolean slowReader;
        private int k;

        Large(Load load, Tally tally, int id, InetSocketAddress server, boolean slowReader) {
            super(load, tally, id, Duration.ofMillis(100));
            this.server = server;
            this.slowReader = slowReader;
        }

        @Override
        void exchange() throws IOException, InterruptedException {
            Socket s = persistent(server, slowReader ? 8 << 10 : 0);
            int[] sizes = slowReader ? SLOW_SIZES : SIZES;
            int n = sizes[k++ % sizes.length];
            long seed = nextSeed();
            int offset = Payload.offset(seed);
            Writer w = writeAsync(s.getOutputStream(), out -> Payload.write(out, offset, 0, n));
            readExpected(s.getInputStream(), Payload.check(seed, n), slowReader ? 4 << 10 : Integer.MAX_VALUE,
                    slowReader ? Duration.ofMillis(2).toNanos() : 0);
            w.awaitSuccess();
        }
    }

    /**
     * A connection per exchange that sends a message, shuts down its output (FIN, a half-close)
     * and reads the whole echo and then EOF: the server must send everything it owes after the
     * peer stopped sending, then close.
     */
    static final class HalfClose extends Lane {
        private static final int[] SIZES = {0, 1, 1000, 65536, 300_000};
        private final InetSocketAddress server;
        private int k;

        HalfClose(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, Duration.ofMillis(20));
            this.server = server;
        }

        @Override
        void exchange() throws IOException, InterruptedException {
            int n = SIZES[k++ % SIZES.length];
            long seed = nextSeed();
            int offset = Payload.offset(seed);
            try (Socket s = connect(server, 0)) {
                socket = s;
                Writer w = writeAsync(s.getOutputStream(), out -> {
                    Payload.write(out, offset, 0, n);
                    s.shutdownOutput();
                });
                InputStream in = s.getInputStream();
                readExpected(in, Payload.check(seed, n), Integer.MAX_VALUE, 0);
                expectEnd(in);
                w.awaitSuccess();
            }
            socket = null;
        }
    }

    /** Connection churn: connect, echo 32 bytes, close; over and over. */
    static final class Churn extends Lane {
        private final InetSocketAddress server;

        Churn(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, Duration.ofMillis(5));
            this.server = server;
        }

        @Override
        void exchange() throws IOException {
            long seed = nextSeed();
            try (Socket s = connect(server, 0)) {
                socket = s;
                Payload.write(s.getOutputStream(), Payload.offset(seed), 0, 32);
                readExpected(s.getInputStream(), Payload.check(seed, 32), Integer.MAX_VALUE, 0);
            }
            socket = null;
        }
    }

    /**
     * Resets mid-transfer: starts echoing 1 MiB, reads part of the echo (checked), then closes
     * with SO_LINGER 0 while both directions still carry data. The server holds queued output and
     * unread input for it at that moment, and must free both.
     */
    static final class Reset extends Lane {
        private static final int[] READ_BEFORE_RESET = {0, 4096, 65536, 200_000};
        private final InetSocketAddress server;
        private int k;

        Reset(Load load, Tally tally, int id, InetSocketAddress server) {
            super(load, tally, id, Duration.ofMillis(20));
            this.server = server;
        }

        @Override
        void exchange() throws IOException, InterruptedException {
            int n = 1 << 20;
            int keep = READ_BEFORE_RESET[k++ % READ_BEFORE_RESET.length];
            long seed = nextSeed();
            int offset = Payload.offset(seed);
            Socket s = connect(server, 0);
            socket = s;
            Writer w = writeAsync(s.getOutputStream(), out -> Payload.write(out, offset, 0, n));
            // The first bytes of a message are a message of their own length with the same seed.
            readExpected(s.getInputStream(), Payload.check(seed, keep), Integer.MAX_VALUE, 0);
            reset(s);
            socket = null;
            w.await();     // fails: the socket was reset under it, as intended
        }
    }
}
