package dev.uring4j.bench.soak;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * UDP echo at a fixed rate: one socket sends numbered datagrams of 16 to 1472 bytes on a schedule
 * (a late send does not make the next one later), a second thread receives the echoes and checks
 * each against its number. Loss is counted when the load stops, after a grace period for the last
 * echoes: every number sent and never echoed.
 */
final class UdpLane extends Lane {
    private static final int[] SIZES = {16, 100, 512, 1200, 1472};
    /** Keeps datagram seeds apart from TCP message seeds. */
    private static final long SALT = 0x5544_5000_0000_0000L;

    private final InetSocketAddress server;
    private final int perSecond;
    private final DatagramSocket socket;
    private final BitSet seen = new BitSet();
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    /** Echoes that were not a datagram sent, or came back with wrong bytes. */
    final LongAdder corrupted = new LongAdder();
    /** Numbers below this have been (or are being) sent. */
    private volatile int issued;
    private volatile boolean receiving = true;
    private Thread receiver;

    UdpLane(Load load, Tally tally, int id, InetSocketAddress server, int perSecond) throws IOException {
        super(load, tally, id, Duration.ZERO);
        this.server = server;
        this.perSecond = perSecond;
        this.socket = new DatagramSocket();
        socket.setReceiveBufferSize(4 << 20);   // room for a burst of echoes after the server was stalled
        socket.connect(server);
        socket.setSoTimeout(200);
    }

    @Override
    boolean tcp() {
        return false;
    }

    @Override
    void exchange() {
        throw new UnsupportedOperationException("the UDP lane runs on a schedule, not in exchanges");
    }

    @Override
    void run() {
        receiver = Thread.ofVirtual().name("soak-udp-receiver").start(this::receive);
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        byte[] datagram = new byte[SIZES[SIZES.length - 1]];
        DatagramPacket packet = new DatagramPacket(datagram, 0, server);
        for (int seq = 0; load.running(); seq++) {
            int n = SIZES[seq % SIZES.length];
            ByteBuffer.wrap(datagram).putInt(0, seq).putInt(4, n);
            Payload.copy(Payload.offset(SALT + seq), 0, datagram, 8, n - 8);
            packet.setData(datagram, 0, n);
            issued = seq + 1;
            try {
                socket.send(packet);
                sent.increment();
            } catch (IOException e) {
                load.error(tally, e);
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** Stops receiving after {@code grace}, for echoes still on their way, and closes the socket. */
    void finish(Duration grace) throws InterruptedException {
        Thread.sleep(grace);
        receiving = false;
        if (receiver != null) {
            receiver.join(Duration.ofSeconds(2));
        }
        socket.close();
    }

    /** Datagrams sent and never echoed (meaningful once {@link #finish} returned). */
    long lost() {
        synchronized (seen) {
            return sent.sum() - seen.cardinality();
        }
    }

    private void receive() {
        byte[] buf = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (receiving) {
            try {
                packet.setLength(buf.length);
                socket.receive(packet);
            } catch (SocketTimeoutException idle) {
                continue;
            } catch (IOException e) {
                if (receiving) {
                    load.error(tally, e);
                }
                continue;
            }
            check(buf, packet.getLength());
        }
    }

    private void check(byte[] buf, int length) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
        int seq = length >= 8 ? b.getInt(0) : -1;
        int n = length >= 8 ? b.getInt(4) : -1;
        if (seq < 0 || n != length || seq >= issued || n != SIZES[seq % SIZES.length]) {
            tally.bytesCorrupted.add(length);
            corrupted.increment();
            load.error(tally, new IOException("an echoed datagram of " + length + " bytes that was never sent (number "
                    + seq + ", length field " + n + ")"));
            return;
        }
        int wrong = Payload.check(SALT + seq, n - 8).accept(buf, 8, n - 8);
        if (wrong > 0) {
            tally.bytesCorrupted.add(wrong);
            corrupted.increment();
            load.error(tally, new IOException("datagram " + seq + " came back with " + wrong + " wrong bytes"));
            return;
        }
        synchronized (seen) {
            if (seen.get(seq)) {
                duplicates.increment();
                return;
            }
            seen.set(seq);
        }
        received.increment();
        tally.ops.increment();
        tally.bytesVerified.add(n);
    }
}
