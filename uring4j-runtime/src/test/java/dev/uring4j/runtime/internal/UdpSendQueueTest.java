package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.Iovec;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Msghdr;
import dev.uring4j.ring.sys.SockAddr;

/**
 * A UDP socket's send queue, built as a socket builds it: bounded by datagrams and by payload
 * bytes; GSO runs only of equal-sized, contiguous datagrams to one peer (the last may be
 * shorter), with the {@code msghdr} and {@code UDP_SEGMENT} message the kernel reads; completions
 * in any order release only what is finished at the head, so the kernel never reads memory that
 * was handed to a newer datagram; a payload never wraps the end of the byte ring.
 */
@Tag("transport-independent")
@SuppressWarnings("restricted") // reads the msghdr and iovec the kernel would read, at their addresses
class UdpSendQueueTest {
    /** What the socket passes as the most a GSO segment may be, and a datagram's limit over IPv4. */
    private static final int MAX_SEGMENT = 1500;
    private static final int MAX_PAYLOAD = 65_507;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment peerA = address("127.0.0.1", 4001);
    private final MemorySegment peerB = address("127.0.0.1", 4002);
    private final MemorySegment peerC = address("127.0.0.2", 4001);

    @AfterEach
    void close() {
        arena.close();
    }

    private MemorySegment address(String ip, int port) {
        MemorySegment m = arena.allocate(SockAddr.SIZEOF_STORAGE);
        try {
            SockAddr.write(m, new InetSocketAddress(InetAddress.getByName(ip), port));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        return m;
    }

    private UdpSendQueue queue(int datagrams, int bytes) {
        return new UdpSendQueue(arena, datagrams, bytes, LibC.AF_INET);
    }

    /** Queues a datagram of {@code len} bytes, each {@code fill}; returns its slot. */
    private static int send(UdpSendQueue q, MemorySegment to, int len, int fill) {
        int slot = q.enqueue(to, 0, len);
        assertTrue(slot >= 0, "enqueue of " + len + " bytes refused: " + slot);
        byte[] payload = new byte[len];
        java.util.Arrays.fill(payload, (byte) fill);
        q.copyIn(slot, payload, 0, len);
        return slot;
    }

    /** Forms every run there is; returns each run's length. */
    private static List<Integer> runs(UdpSendQueue q, boolean gso, int maxPayload) {
        List<Integer> runs = new ArrayList<>();
        while (q.hasUnsubmitted()) {
            int first = q.nextRun(gso, MAX_SEGMENT, maxPayload);
            runs.add(q.runLength(first));
        }
        return runs;
    }

    // ------------------------------------------------------------------ bounds

    @Test
    void fullWhenEveryDatagramSlotIsTaken() {
        UdpSendQueue q = queue(8, 1 << 16);
        for (int i = 0; i < 8; i++) {
            assertEquals(i, send(q, peerA, 10, i));
        }
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 10), "the ninth datagram of an 8-slot queue");
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 0), "even an empty one");
    }

    @Test
    void fullWhenThePayloadBytesWouldNotFit() {
        UdpSendQueue q = queue(64, 1000);
        send(q, peerA, 400, 1);
        send(q, peerA, 400, 2);
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 201), "800 + 201 bytes exceed 1000");
        send(q, peerA, 200, 3); // exactly to the end
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 1));
        assertEquals(1000, q.byteCapacity());
    }

    @Test
    void anAddressOfTheWrongFamilyIsRefusedAndQueuesNothing() {
        UdpSendQueue q = queue(8, 4096);
        assertEquals(-Errno.EAFNOSUPPORT, q.enqueue(address("::1", 4001), 0, 10), "IPv6 from an IPv4 socket");
        assertTrue(q.isEmpty());
        assertFalse(q.hasUnsubmitted());
        // An IPv4 peer from an IPv6 socket is sent to as ::ffff:a.b.c.d.
        UdpSendQueue six = new UdpSendQueue(arena, 8, 4096, LibC.AF_INET6);
        int slot = six.enqueue(peerA, 0, 10);
        assertEquals(SockAddr.SIZEOF_IN6, six.addressLength(slot));
        InetSocketAddress mapped = six.destinationAddress(slot);
        assertEquals(4001, mapped.getPort());
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1),
                java.util.Arrays.stream(toInts(mapped.getAddress().getAddress())).boxed().toList());
    }

    // ------------------------------------------------------------------ payload placement

    @Test
    void aPayloadThatWouldCrossTheEndStartsAtTheBeginningWithoutTouchingLiveBytes() {
        UdpSendQueue q = queue(16, 1000);
        int x = send(q, peerB, 500, 1);          // [0, 500)
        assertEquals(x, q.nextRun(false, MAX_SEGMENT, MAX_PAYLOAD));
        int y = send(q, peerA, 300, 2);          // [500, 800), queued
        q.complete(x, 1);                        // [0, 500) free again
        int z = send(q, peerA, 300, 3);          // does not fit [800, 1000): goes to [0, 300)
        assertEquals(500, q.payloadOffset(y));
        assertEquals(0, q.payloadOffset(z), "a payload never wraps the end of the ring");
        // Only [300, 500) is free now: 200 bytes fit, 201 would reach y's bytes.
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 201));
        int w = send(q, peerA, 200, 4);
        assertEquals(300, q.payloadOffset(w));
        assertPayload(q, y, 300, 2);
        assertPayload(q, z, 300, 3);
        assertEquals(q.payloadMemory().address() + 500, q.payloadAddress(y));
    }

    @Test
    void anEmptiedQueueStartsOverAtTheBeginning() {
        UdpSendQueue q = queue(4, 1000);
        int a = send(q, peerA, 700, 1);
        int first = q.nextRun(false, MAX_SEGMENT, MAX_PAYLOAD);
        assertEquals(a, first);
        q.complete(first, 1);
        assertTrue(q.isEmpty());
        // Without starting over, 700 bytes would not fit behind the first 700.
        int b = send(q, peerA, 700, 2);
        assertEquals(0, q.payloadOffset(b));
        assertEquals(1000, q.byteCapacity());
        int c = send(q, peerA, 300, 3);
        assertEquals(700, q.payloadOffset(c));
    }

    @Test
    void slotsAreReusedRoundTheRing() {
        UdpSendQueue q = queue(4, 4096);
        for (int round = 0; round < 5; round++) {
            List<Integer> slots = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                slots.add(send(q, (i & 1) == 0 ? peerA : peerB, 100, round * 4 + i));
            }
            assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 1));
            for (int i = 0; i < 4; i++) {
                int first = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
                assertEquals(slots.get(i), first);
                assertPayload(q, first, 100, round * 4 + i);
                q.complete(first, q.runLength(first));
            }
            assertTrue(q.isEmpty(), "round " + round);
        }
    }

    // ------------------------------------------------------------------ GSO runs

    @Test
    void equalDatagramsToOnePeerFormOneRunWithTheMessageTheKernelReads() {
        UdpSendQueue q = queue(64, 1 << 16);
        for (int i = 0; i < 5; i++) {
            send(q, peerA, 100, i);
        }
        int first = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        assertEquals(5, q.runLength(first));
        assertFalse(q.hasUnsubmitted());
        MemorySegment m = MemorySegment.ofAddress(q.msghdrAddress(first)).reinterpret(128);
        assertEquals(q.addressAddress(first), m.get(JAVA_LONG, Msghdr.OFFSET_msg_name));
        assertEquals(SockAddr.SIZEOF_IN, m.get(JAVA_INT, Msghdr.OFFSET_msg_namelen));
        assertEquals(1L, m.get(JAVA_LONG, Msghdr.OFFSET_msg_iovlen));
        MemorySegment iov = MemorySegment.ofAddress(m.get(JAVA_LONG, Msghdr.OFFSET_msg_iov)).reinterpret(16);
        assertEquals(q.payloadAddress(first), iov.get(JAVA_LONG, Iovec.OFFSET_iov_base));
        assertEquals(500L, iov.get(JAVA_LONG, Iovec.OFFSET_iov_len), "one iovec over all five payloads");
        MemorySegment cmsg = MemorySegment.ofAddress(m.get(JAVA_LONG, Msghdr.OFFSET_msg_control)).reinterpret(24);
        assertEquals(24L, m.get(JAVA_LONG, Msghdr.OFFSET_msg_controllen), "CMSG_SPACE(sizeof(u16))");
        assertEquals(18L, cmsg.get(JAVA_LONG, 0), "CMSG_LEN(sizeof(u16))");
        assertEquals(LibC.SOL_UDP, cmsg.get(JAVA_INT, 8));
        assertEquals(LibC.UDP_SEGMENT, cmsg.get(JAVA_INT, 12));
        assertEquals(100, cmsg.get(JAVA_SHORT, 16), "the segment size");
        assertEquals(new InetSocketAddress("127.0.0.1", 4001), q.destinationAddress(first));
    }

    @Test
    void anotherPeerOrALargerDatagramEndsARun() {
        UdpSendQueue q = queue(64, 1 << 16);
        send(q, peerA, 100, 0);
        send(q, peerA, 100, 0);
        send(q, peerA, 100, 0);
        send(q, peerB, 100, 0);   // same IP, other port
        send(q, peerC, 100, 0);   // same port, other IP
        send(q, peerA, 100, 0);
        send(q, peerA, 120, 0);   // larger than the run's segments
        assertEquals(List.of(3, 1, 1, 1, 1), runs(q, true, MAX_PAYLOAD));
    }

    @Test
    void aShorterDatagramIsTheLastOfItsRun() {
        UdpSendQueue q = queue(64, 1 << 16);
        send(q, peerA, 100, 0);
        send(q, peerA, 100, 0);
        send(q, peerA, 60, 0);
        send(q, peerA, 100, 0);
        send(q, peerA, 100, 0);
        int first = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        assertEquals(3, q.runLength(first));
        MemorySegment m = MemorySegment.ofAddress(q.msghdrAddress(first)).reinterpret(128);
        MemorySegment iov = MemorySegment.ofAddress(m.get(JAVA_LONG, Msghdr.OFFSET_msg_iov)).reinterpret(16);
        assertEquals(260L, iov.get(JAVA_LONG, Iovec.OFFSET_iov_len));
        assertEquals(List.of(2), runs(q, true, MAX_PAYLOAD));
    }

    @Test
    void runsRespectTheSegmentSizeThePayloadLimitAndTheKernelsSegmentCount() {
        UdpSendQueue q = queue(128, 1 << 20);
        send(q, peerA, MAX_SEGMENT + 1, 0);
        send(q, peerA, MAX_SEGMENT + 1, 0);
        assertEquals(List.of(1, 1), runs(q, true, MAX_PAYLOAD), "segments larger than maxSegment go alone");
        for (int i = 0; i < 10; i++) {
            send(q, peerA, 100, 0);
        }
        assertEquals(List.of(4, 4, 2), runs(q, true, 450), "at most maxPayload bytes per run");
        for (int i = 0; i < 70; i++) {
            send(q, peerA, 10, 0);
        }
        assertEquals(List.of(UdpSendQueue.MAX_SEGMENTS, 6), runs(q, true, MAX_PAYLOAD), "UDP_MAX_SEGMENTS");
    }

    @Test
    void withoutGsoOrForEmptyDatagramsEveryDatagramIsItsOwnRun() {
        UdpSendQueue q = queue(64, 1 << 16);
        for (int i = 0; i < 4; i++) {
            send(q, peerA, 100, 0);
        }
        assertEquals(List.of(1, 1, 1, 1), runs(q, false, MAX_PAYLOAD));
        send(q, peerA, 0, 0);
        send(q, peerA, 0, 0);
        assertEquals(List.of(1, 1), runs(q, true, MAX_PAYLOAD));
    }

    @Test
    void datagramsToTheConnectedPeerGroupToo() {
        UdpSendQueue q = queue(64, 1 << 16);
        for (int i = 0; i < 3; i++) {
            send(q, null, 100, 0);
        }
        int first = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        assertEquals(3, q.runLength(first));
        assertEquals(0, q.addressLength(first));
        MemorySegment m = MemorySegment.ofAddress(q.msghdrAddress(first)).reinterpret(128);
        assertEquals(0L, m.get(JAVA_LONG, Msghdr.OFFSET_msg_name), "no address: the connected peer");
        assertEquals(0, m.get(JAVA_INT, Msghdr.OFFSET_msg_namelen));
        send(q, peerA, 100, 0);
        send(q, null, 100, 0);
        assertEquals(List.of(1, 1), runs(q, true, MAX_PAYLOAD), "an address and no address are different peers");
    }

    /** GSO sends one iovec: datagrams whose payloads are not adjacent (one starts over at 0) cannot share it. */
    @Test
    void payloadsThatAreNotAdjacentEndARun() {
        UdpSendQueue q = queue(16, 1000);
        int x = send(q, peerB, 500, 1);
        q.nextRun(false, MAX_SEGMENT, MAX_PAYLOAD);
        int y = send(q, peerA, 300, 2);     // [500, 800)
        q.complete(x, 1);
        int z = send(q, peerA, 300, 3);     // [0, 300)
        assertNotEquals(q.payloadOffset(y) + 300, q.payloadOffset(z));
        assertEquals(List.of(1, 1), runs(q, true, MAX_PAYLOAD));
    }

    /**
     * A payload that ends exactly at the end of the ring and the next one, at its beginning, are
     * adjacent in the ring's running byte count but not in memory: one iovec over both would have
     * the kernel read past the end of the ring.
     */
    @Test
    void aRunNeverCrossesTheEndOfTheRing() {
        UdpSendQueue q = queue(16, 1000);
        int x = send(q, peerB, 500, 1);         // [0, 500)
        q.nextRun(false, MAX_SEGMENT, MAX_PAYLOAD);
        int y = send(q, peerA, 250, 2);         // [500, 750)
        int z = send(q, peerA, 250, 3);         // [750, 1000): ends at the end
        q.complete(x, 1);
        int w = send(q, peerA, 250, 4);         // [0, 250)
        assertEquals(0, q.payloadOffset(w));
        int first = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        assertEquals(y, first);
        assertEquals(2, q.runLength(first), "y and z are adjacent, w is not");
        MemorySegment m = MemorySegment.ofAddress(q.msghdrAddress(first)).reinterpret(128);
        MemorySegment iov = MemorySegment.ofAddress(m.get(JAVA_LONG, Msghdr.OFFSET_msg_iov)).reinterpret(16);
        long base = iov.get(JAVA_LONG, Iovec.OFFSET_iov_base);
        long len = iov.get(JAVA_LONG, Iovec.OFFSET_iov_len);
        assertTrue(base + len <= q.payloadMemory().address() + q.byteCapacity(), "the iovec stays inside the ring");
        assertEquals(z, q.slotAfter(first, 1));
        assertEquals(List.of(1), runs(q, true, MAX_PAYLOAD));
    }

    // ------------------------------------------------------------------ completions

    @Test
    void completionsOutOfOrderReleaseOnlyWhatIsFinishedAtTheHead() {
        UdpSendQueue q = queue(4, 4096);
        int[] slot = new int[4];
        for (int i = 0; i < 4; i++) {
            slot[i] = send(q, (i & 1) == 0 ? peerA : peerB, 100, i); // alternate peers: runs of one
        }
        int[] first = new int[4];
        for (int i = 0; i < 4; i++) {
            first[i] = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
            assertEquals(slot[i], first[i]);
            assertTrue(q.isSending(first[i]));
        }
        // The first send waits in the kernel (socket buffer full) while the later ones finish.
        q.complete(first[3], 1);
        q.complete(first[1], 1);
        q.complete(first[2], 1);
        assertFalse(q.isSending(first[2]));
        assertTrue(q.isSending(first[0]));
        assertFalse(q.isEmpty());
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 10),
                "the oldest datagram is still being sent: its slot and every later one stay taken");
        assertPayload(q, first[0], 100, 0);
        q.complete(first[0], 1);
        assertTrue(q.isEmpty(), "all four released at once");
        for (int i = 0; i < 4; i++) {
            send(q, peerA, 100, 10 + i);
        }
    }

    @Test
    void finishingTheOldestReleasesOnlyUpToTheNextUnfinished() {
        UdpSendQueue q = queue(4, 4096);
        for (int i = 0; i < 4; i++) {
            send(q, (i & 1) == 0 ? peerA : peerB, 100, i);
        }
        int r0 = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        int r1 = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        q.complete(r0, 1);
        int reused = send(q, peerA, 100, 9);
        assertEquals(r0, reused, "the oldest slot is free again");
        assertEquals(UdpSendQueue.FULL, q.enqueue(peerA, 0, 10), "but only that one");
        assertPayload(q, r1, 100, 1);
    }

    @Test
    void aRunTheKernelRefusedIsSentDatagramByDatagram() {
        UdpSendQueue q = queue(8, 4096);
        for (int i = 0; i < 3; i++) {
            send(q, peerA, 100, i);
        }
        int first = q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        assertEquals(3, q.runLength(first));
        // As the socket does on EIO/EINVAL/EMSGSIZE for a GSO send: each datagram its own run.
        int[] single = new int[3];
        for (int j = 0; j < 3; j++) {
            single[j] = q.slotAfter(first, j);
            q.single(single[j]);
            assertEquals(1, q.runLength(single[j]));
            assertTrue(q.isSending(single[j]));
            assertPayload(q, single[j], 100, j);
        }
        q.complete(single[2], 1);
        q.complete(single[0], 1);
        assertFalse(q.isEmpty());
        q.complete(single[1], 1);
        assertTrue(q.isEmpty());
    }

    @Test
    void completionsForSlotsThatAreNotSendingAreRecognised() {
        UdpSendQueue q = queue(8, 4096);
        assertFalse(q.isSending(-1));
        assertFalse(q.isSending(8), "out of range");
        int s = send(q, peerA, 10, 0);
        assertFalse(q.isSending(s), "queued, not yet handed to the kernel");
        q.nextRun(true, MAX_SEGMENT, MAX_PAYLOAD);
        assertTrue(q.isSending(s));
        q.complete(s, 1);
        assertFalse(q.isSending(s), "a late duplicate completion must not release it twice");
    }

    // ------------------------------------------------------------------ a model

    /**
     * Random sends, flushes and completions in random order, each payload a pattern of its own:
     * every run holds only what a run may hold, no payload crosses the end of the ring, and when a
     * run completes its bytes are still the ones queued (nothing newer was written over memory
     * the kernel was reading). The queue fills and empties many times over.
     */
    @Test
    void noPayloadIsOverwrittenWhileQueuedOrInFlight() {
        Random random = new Random(7);
        int datagrams = 32;
        int capacity = 4096;
        UdpSendQueue q = queue(datagrams, capacity);
        MemorySegment[] peers = {peerA, peerB, null};
        record Datagram(long seq, int slot, int len, int peer) { }
        ArrayDeque<Datagram> unsubmitted = new ArrayDeque<>();
        List<List<Datagram>> inFlight = new ArrayList<>();
        // Every datagram not yet released, oldest first, and whether its run completed.
        ArrayDeque<Object[]> live = new ArrayDeque<>();
        long seq = 0;
        int fulls = 0;
        int gsoRuns = 0;
        for (int step = 0; step < 40_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                // Sizes cluster on a few values so that GSO runs form.
                int len = random.nextInt(4) == 0 ? random.nextInt(600) : 100 * (1 + random.nextInt(3));
                int peer = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
                boolean wasEmpty = q.isEmpty();
                int slot = q.enqueue(peers[peer], 0, len);
                if (slot == UdpSendQueue.FULL) {
                    fulls++;
                    assertFalse(wasEmpty, "step " + step + ": an empty queue refused " + len + " bytes");
                    continue;
                }
                assertTrue(slot >= 0 && slot < datagrams);
                assertTrue(live.size() < datagrams, "step " + step + ": more datagrams than slots");
                int offset = q.payloadOffset(slot);
                assertTrue(offset >= 0 && offset + len <= capacity, "step " + step + ": payload crosses the end");
                fill(q, slot, len, seq);
                Datagram d = new Datagram(seq++, slot, len, peer);
                unsubmitted.add(d);
                live.add(new Object[] {d, false});
            } else if (op < 7 && !unsubmitted.isEmpty()) {
                boolean gso = random.nextBoolean();
                int first = q.nextRun(gso, MAX_SEGMENT, MAX_PAYLOAD);
                int k = q.runLength(first);
                List<Datagram> run = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    run.add(unsubmitted.poll());
                }
                assertEquals(run.get(0).slot(), first, "step " + step + ": a run starts at the oldest queued");
                if (k > 1) {
                    gsoRuns++;
                    assertTrue(gso && k <= UdpSendQueue.MAX_SEGMENTS);
                    Datagram head = run.get(0);
                    for (int j = 1; j < k; j++) {
                        Datagram d = run.get(j);
                        assertEquals(head.peer(), d.peer(), "step " + step + ": one peer per run");
                        assertTrue(d.len() == head.len() || (j == k - 1 && d.len() < head.len()),
                                "step " + step + ": segments of one size, only the last shorter");
                        assertEquals(q.payloadOffset(run.get(j - 1).slot()) + run.get(j - 1).len(),
                                q.payloadOffset(d.slot()), "step " + step + ": payloads adjacent");
                    }
                }
                for (Datagram d : run) {
                    assertPayload(q, d.slot(), d.len(), d.seq(), step);
                }
                inFlight.add(run);
            } else if (!inFlight.isEmpty()) {
                List<Datagram> run = inFlight.remove(random.nextInt(inFlight.size()));
                for (Datagram d : run) {
                    assertPayload(q, d.slot(), d.len(), d.seq(), step);
                }
                q.complete(run.get(0).slot(), run.size());
                for (Object[] e : live) {
                    if (run.contains(e[0])) {
                        e[1] = true;
                    }
                }
                while (!live.isEmpty() && (boolean) live.peek()[1]) {
                    live.poll();
                }
                assertEquals(live.isEmpty(), q.isEmpty(), "step " + step);
            }
        }
        assertTrue(fulls > 100 && gsoRuns > 100, "the run exercised full queues (" + fulls + ") and GSO runs (" + gsoRuns + ")");
    }

    private static int[] toInts(byte[] b) {
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] & 0xff;
        }
        return r;
    }

    private static void fill(UdpSendQueue q, int slot, int len, long seq) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        q.copyIn(slot, MemorySegment.ofArray(b), 0, len);
    }

    private static void assertPayload(UdpSendQueue q, int slot, int len, long seq, int step) {
        MemorySegment p = q.payloadMemory().asSlice(q.payloadOffset(slot), len);
        for (int i = 0; i < len; i++) {
            if (p.get(JAVA_BYTE, i) != (byte) (seq * 31 + i)) {
                throw new AssertionError("step " + step + ": byte " + i + " of datagram " + seq + " in slot " + slot
                        + " was overwritten");
            }
        }
    }

    private static void assertPayload(UdpSendQueue q, int slot, int len, int fill) {
        MemorySegment p = q.payloadMemory().asSlice(q.payloadOffset(slot), len);
        for (int i = 0; i < len; i++) {
            assertEquals((byte) fill, p.get(JAVA_BYTE, i), "byte " + i + " of slot " + slot);
        }
    }
}
