package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.uring4j.ring.sys.Iovec;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Msghdr;

/**
 * A UDP socket's send queue: datagrams waiting to be sent or being sent, in native memory that
 * stays put until the kernel has finished with it.
 *
 * <p>Two rings. Slots (a power of two) hold, per datagram, the destination {@code sockaddr} and,
 * for the first of a GSO run, the {@code msghdr}, {@code iovec} and {@code UDP_SEGMENT} control
 * message its {@code sendmsg} needs;
 * the payloads go one after the other into a byte ring. A datagram is queued at the tail, becomes
 * part of a <em>run</em> when the socket flushes (one {@code sendmsg}: a single datagram, or with
 * GSO consecutive datagrams of equal size to the same peer, the last possibly shorter, whose
 * payloads are contiguous), and is released when its run completes. Completions may come in any
 * order (a send that found the socket buffer full waits in the kernel while later ones finish), so
 * the head only moves over finished slots and the bytes before it.
 *
 * <pre>
 *  slot (128 B): 0 msghdr (56) | 56 iovec (16) | 72 sockaddr (32) | 104 cmsghdr + u16 gso_size (24)
 *
 *  slots:  head ........ submitted ........ tail
 *          [ sending / done ][ queued        ][ free ... ]
 *  bytes:  byteHead ..................... byteTail   (absolute positions; a payload never wraps)
 * </pre>
 *
 * Owned by the socket's loop thread; the memory belongs to the socket's arena, freed only after
 * every run has completed.
 */
public final class UdpSendQueue {
    /** Returned by {@link #enqueue} when the queue has no room. */
    static final int FULL = Integer.MIN_VALUE;
    /**
     * Datagrams per GSO send: the kernel's {@code UDP_MAX_SEGMENTS}, 64 since it appeared (4.18;
     * later kernels allow more, never fewer).
     */
    static final int MAX_SEGMENTS = 64;

    private static final int SLOT_BYTES = 128;
    private static final long IOVEC = 56;
    private static final long ADDR = 72;
    private static final long CMSG = 104;
    /** {@code CMSG_LEN(sizeof(uint16_t))} and {@code CMSG_SPACE(sizeof(uint16_t))} on LP64. */
    private static final int CMSG_LEN_U16 = 18;
    private static final int CMSG_SPACE_U16 = 24;

    private static final byte FREE = 0;
    private static final byte QUEUED = 1;
    private static final byte SENDING = 2;
    private static final byte DONE = 3;

    private final MemorySegment slots;
    private final long slotsAddress;
    private final MemorySegment bytes;
    private final long bytesAddress;
    private final int byteCapacity;
    private final int mask;
    private final int family;
    private final long[] start;
    private final int[] length;
    private final int[] addrLen;
    private final int[] run;
    private final byte[] state;
    private long head;
    private long submitted;
    private long tail;
    private long byteHead;
    private long byteTail;

    UdpSendQueue(Arena arena, int datagrams, int byteCapacity, int family) {
        this.slots = arena.allocate((long) datagrams * SLOT_BYTES, 64);
        this.slotsAddress = slots.address();
        this.bytes = arena.allocate(byteCapacity, 64);
        this.bytesAddress = bytes.address();
        this.byteCapacity = byteCapacity;
        this.mask = datagrams - 1;
        this.family = family;
        this.start = new long[datagrams];
        this.length = new int[datagrams];
        this.addrLen = new int[datagrams];
        this.run = new int[datagrams];
        this.state = new byte[datagrams];
    }

    /** The most payload bytes one datagram can take (the byte ring). */
    int byteCapacity() {
        return byteCapacity;
    }

    /**
     * Reserves a slot for a datagram of {@code len} bytes to the address at {@code (addr, addrOffset)}
     * ({@code addr == null}: the connected peer). Returns the slot, {@link #FULL}, or
     * {@code -EAFNOSUPPORT} when the address cannot be sent to from this socket's family. The
     * payload goes to {@link #payloadAddress}/{@link #copyIn} before the next {@link #nextRun}.
     */
    int enqueue(MemorySegment addr, long addrOffset, int len) {
        if (tail - head > mask) {
            return FULL;
        }
        long at = byteTail;
        int phys = (int) (at % byteCapacity);
        if (phys + len > byteCapacity) {
            at += byteCapacity - phys;
        }
        if (at + len - byteHead > byteCapacity) {
            return FULL;
        }
        int slot = (int) (tail & mask);
        long base = (long) slot * SLOT_BYTES;
        int n = 0;
        if (addr != null) {
            n = PeerAddresses.copyFor(addr, addrOffset, family, slots, base + ADDR);
            if (n < 0) {
                return n;
            }
            // Zero the rest of the 32 bytes so two destinations compare as four longs.
            if (n == 16) {
                slots.set(JAVA_LONG, base + ADDR + 16, 0L);
                slots.set(JAVA_LONG, base + ADDR + 24, 0L);
            } else {
                slots.set(JAVA_INT, base + ADDR + 28, 0);
            }
        }
        addrLen[slot] = n;
        start[slot] = at;
        length[slot] = len;
        state[slot] = QUEUED;
        byteTail = at + len;
        tail++;
        return slot;
    }

    /** Copies {@code len} bytes of {@code src} into the payload of {@code slot}. */
    void copyIn(int slot, MemorySegment src, long offset, int len) {
        MemorySegment.copy(src, offset, bytes, start[slot] % byteCapacity, len);
    }

    /** Copies {@code len} bytes of {@code src} into the payload of {@code slot}. */
    void copyIn(int slot, byte[] src, int offset, int len) {
        MemorySegment.copy(src, offset, bytes, JAVA_BYTE, start[slot] % byteCapacity, len);
    }

    public boolean hasUnsubmitted() {
        return submitted != tail;
    }

    /** Nothing queued or in flight. */
    boolean isEmpty() {
        return head == tail;
    }

    /**
     * Forms the next run from the oldest queued datagram; returns the run's first slot. A run of
     * one is sent from {@link #payloadAddress} to {@link #addressAddress}; a longer one gets a
     * {@code msghdr} with the {@code UDP_SEGMENT} control message ({@link #msghdrAddress}). With
     * {@code gso}, following datagrams join while they go to the same peer, have the first one's
     * size (the last may be shorter), sit right after it in the byte ring, and keep the total
     * within {@code maxPayload}; the first must be at most {@code maxSegment} bytes.
     */
    public int nextRun(boolean gso, int maxSegment, int maxPayload) {
        int first = (int) (submitted & mask);
        int size = length[first];
        int k = 1;
        long total = size;
        if (gso && size > 0 && size <= maxSegment) {
            int prev = first;
            while (k < MAX_SEGMENTS && submitted + k != tail) {
                int i = (int) ((submitted + k) & mask);
                int len = length[i];
                // Adjacent in memory, not only in the running byte count: a payload that ends at
                // the end of the ring is followed there by one at its beginning.
                if (len == 0 || len > size || start[i] % byteCapacity != start[prev] % byteCapacity + length[prev]
                        || total + len > maxPayload || !sameDestination(first, i)) {
                    break;
                }
                total += len;
                k++;
                prev = i;
                if (len < size) {
                    break;
                }
            }
        }
        for (int j = 0; j < k; j++) {
            state[(first + j) & mask] = SENDING;
        }
        run[first] = k;
        if (k > 1) {
            writeMsghdr(first, (int) total, size);
        }
        submitted += k;
        return first;
    }

    /** Makes {@code slot} a run of its own (a GSO run the kernel refused is sent datagram by datagram). */
    public void single(int slot) {
        run[slot] = 1;
    }

    private boolean sameDestination(int a, int b) {
        if (addrLen[a] != addrLen[b]) {
            return false;
        }
        long pa = (long) a * SLOT_BYTES + ADDR;
        long pb = (long) b * SLOT_BYTES + ADDR;
        return slots.get(JAVA_LONG, pa) == slots.get(JAVA_LONG, pb)
                && slots.get(JAVA_LONG, pa + 8) == slots.get(JAVA_LONG, pb + 8)
                && slots.get(JAVA_LONG, pa + 16) == slots.get(JAVA_LONG, pb + 16)
                && slots.get(JAVA_LONG, pa + 24) == slots.get(JAVA_LONG, pb + 24);
    }

    /**
     * The {@code msghdr} of {@code slot} sent alone, without control messages: for kernels that
     * cannot take the destination in the SQE ({@code sendto}), where a datagram to an address
     * needs {@code sendmsg}.
     */
    public long singleMsghdr(int slot) {
        writeMsghdr(slot, length[slot], 0);
        return msghdrAddress(slot);
    }

    /**
     * The msghdr of a run of {@code total} bytes: a GSO run in segments of {@code segmentSize}, or
     * one datagram when {@code segmentSize} is 0.
     */
    private void writeMsghdr(int slot, int total, int segmentSize) {
        long base = (long) slot * SLOT_BYTES;
        long abs = slotsAddress + base;
        MemorySegment s = slots;
        s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_name, addrLen[slot] == 0 ? 0L : abs + ADDR);
        s.set(JAVA_INT, base + Msghdr.OFFSET_msg_namelen, addrLen[slot]);
        s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_iov, abs + IOVEC);
        s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_iovlen, 1L);
        s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_flags, 0L);
        s.set(JAVA_LONG, base + IOVEC + Iovec.OFFSET_iov_base, bytesAddress + start[slot] % byteCapacity);
        s.set(JAVA_LONG, base + IOVEC + Iovec.OFFSET_iov_len, total);
        if (segmentSize == 0) {
            s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_control, 0L);
            s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_controllen, 0L);
            return;
        }
        // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the u16 gso_size.
        s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_control, abs + CMSG);
        s.set(JAVA_LONG, base + Msghdr.OFFSET_msg_controllen, CMSG_SPACE_U16);
        s.set(JAVA_LONG, base + CMSG, CMSG_LEN_U16);
        s.set(JAVA_INT, base + CMSG + 8, LibC.SOL_UDP);
        s.set(JAVA_INT, base + CMSG + 12, LibC.UDP_SEGMENT);
        s.set(JAVA_LONG, base + CMSG + 16, 0L);
        s.set(JAVA_SHORT, base + CMSG + 16, (short) segmentSize);
    }

    public long msghdrAddress(int slot) {
        return slotsAddress + (long) slot * SLOT_BYTES;
    }

    /** Where the payload of {@code slot} is. */
    public long payloadAddress(int slot) {
        return bytesAddress + start[slot] % byteCapacity;
    }

    /** Where the destination sockaddr of {@code slot} is (meaningful when {@link #addressLength} is not 0). */
    public long addressAddress(int slot) {
        return slotsAddress + (long) slot * SLOT_BYTES + ADDR;
    }

    /** Length of the destination sockaddr of {@code slot}; 0 for the connected peer. */
    public int addressLength(int slot) {
        return addrLen[slot];
    }

    /** The slot {@code j} places after {@code slot}. */
    public int slotAfter(int slot, int j) {
        return (slot + j) & mask;
    }

    /** Datagrams in the run that starts at {@code slot}. */
    public int runLength(int slot) {
        return run[slot];
    }

    /** Payload bytes of the datagram in {@code slot}. */
    public int length(int slot) {
        return length[slot];
    }

    /** Whether {@code slot} is the first of a run the kernel holds (completions are checked before use). */
    public boolean isSending(int slot) {
        return slot >= 0 && slot <= mask && state[slot] == SENDING && run[slot] > 0;
    }

    /** The destination of {@code slot}, for error messages (allocates). */
    String destination(int slot) {
        return addrLen[slot] == 0 ? "the connected peer" : destinationAddress(slot).toString();
    }

    /** The destination of {@code slot} as a Java object (allocates); {@code null} for the connected peer. */
    public java.net.InetSocketAddress destinationAddress(int slot) {
        return addrLen[slot] == 0 ? null
                : dev.uring4j.ring.sys.SockAddr.read(slots.asSlice((long) slot * SLOT_BYTES + ADDR, addrLen[slot]));
    }

    /**
     * Word {@code i} (0 to 3) of the destination of {@code slot}: the 32 bytes, zero-padded, name
     * the destination, so a transport can key a cache of its own by them.
     */
    public long destinationWord(int slot, int i) {
        return slots.get(JAVA_LONG, (long) slot * SLOT_BYTES + ADDR + 8L * i);
    }

    /** A hash of the destination of {@code slot} (see {@code UdpAddress.hash}). */
    public int destinationHash(int slot) {
        return PeerAddresses.hash(slots, (long) slot * SLOT_BYTES + ADDR);
    }

    /** The slot {@link #nextRun} starts with: the oldest datagram not yet submitted (there must be one). */
    public int oldestQueued() {
        return (int) (submitted & mask);
    }

    /** The byte ring the payloads are in. */
    public MemorySegment payloadMemory() {
        return bytes;
    }

    /** Where the payload of {@code slot} starts in {@link #payloadMemory()}. */
    public int payloadOffset(int slot) {
        return (int) (start[slot] % byteCapacity);
    }

    /** The run of {@code count} datagrams from {@code slot} is finished: release what is finished at the head. */
    public void complete(int slot, int count) {
        for (int j = 0; j < count; j++) {
            int i = (slot + j) & mask;
            state[i] = DONE;
            run[i] = 0;
        }
        while (head != submitted && state[(int) (head & mask)] == DONE) {
            int i = (int) (head & mask);
            state[i] = FREE;
            byteHead = start[i] + length[i];
            head++;
        }
        if (head == tail) {
            // Empty: start over at the beginning so the next payloads need no wrap.
            byteHead = byteTail = 0;
        }
    }
}
