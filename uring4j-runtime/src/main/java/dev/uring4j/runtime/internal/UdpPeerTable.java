package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A socket's table of known peers: address bytes in native memory that never moves, found by an
 * open-addressing hash index over those bytes, so looking up the sender of a datagram allocates
 * nothing once the peer is known.
 *
 * <pre>
 *  index (int[], power of two)        peers (PeerEntry[] by id)     chunks (native, 1024 x 32 B each)
 *  [ 0 | id+1 | 0 | id+1 | ... ]  --> [ peer0 | peer1 | ... ]  --> sockaddr of id at chunk id/1024,
 *    linear probing, load <= 1/2                                      byte (id % 1024) * 32
 * </pre>
 *
 * Addresses are stored in the socket's family (IPv4 peers of a dual-stack socket as IPv4-mapped
 * IPv6), so a peer is found whichever form the caller holds. Ids of forgotten peers are reused
 * first, which keeps them dense. The index and chunk list grow only when a new peer arrives.
 * Owned by the socket's loop thread; the chunks belong to the socket's arena.
 */
public final class UdpPeerTable {
    private static final int SLOT_BYTES = 32;
    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK_PEERS = 1 << CHUNK_SHIFT;

    private final Arena arena;
    private final int family;
    private MemorySegment[] chunks = new MemorySegment[0];
    private PeerEntry[] peers = new PeerEntry[0];
    private int[] index = new int[16];
    private int[] freeIds = new int[0];
    private int freeCount;
    private int highWater;
    private int count;

    UdpPeerTable(Arena arena, int family) {
        this.arena = arena;
        this.family = family;
    }

    int size() {
        return count;
    }

    /** The peer with the address at {@code (m, o)}, added if it is new; {@code null} if the address cannot be sent to from this socket's family. */
    PeerEntry intern(MemorySegment m, long o) {
        int mask = index.length - 1;
        int i = PeerAddresses.hash(m, o) & mask;
        for (int e; (e = index[i]) != 0; i = (i + 1) & mask) {
            PeerEntry p = peers[e - 1];
            if (PeerAddresses.same(m, o, p.memory(), p.offset())) {
                return p;
            }
        }
        return add(m, o);
    }

    private PeerEntry add(MemorySegment m, long o) {
        int id = freeCount > 0 ? freeIds[--freeCount] : highWater++;
        if (id >> CHUNK_SHIFT >= chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length + 1);
            chunks[chunks.length - 1] = arena.allocate((long) CHUNK_PEERS * SLOT_BYTES, 8);
            peers = Arrays.copyOf(peers, chunks.length * CHUNK_PEERS);
        }
        MemorySegment chunk = chunks[id >> CHUNK_SHIFT];
        long offset = (long) (id & (CHUNK_PEERS - 1)) * SLOT_BYTES;
        if (PeerAddresses.copyFor(m, o, family, chunk, offset) < 0) {
            freeIds = pushFree(freeIds, id);
            return null;
        }
        PeerEntry p = new PeerEntry(this, id, chunk, offset);
        peers[id] = p;
        count++;
        if (count * 2 > index.length) {
            rehash(index.length * 2);
        } else {
            insert(index, p);
        }
        return p;
    }

    private int[] pushFree(int[] stack, int id) {
        int[] s = freeCount == stack.length ? Arrays.copyOf(stack, Math.max(16, stack.length * 2)) : stack;
        s[freeCount++] = id;
        return s;
    }

    private static void insert(int[] index, PeerEntry p) {
        int mask = index.length - 1;
        int i = PeerAddresses.hash(p.memory(), p.offset()) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = p.id() + 1;
    }

    private void rehash(int capacity) {
        int[] bigger = new int[capacity];
        for (int id = 0; id < highWater; id++) {
            PeerEntry p = peers[id];
            if (p != null) {
                insert(bigger, p);
            }
        }
        index = bigger;
    }

    /** Removes {@code p}; its id and memory are reused by the next new peer. */
    void forget(PeerEntry p) {
        if (!p.isValid() || !p.belongsTo(this)) {
            return;
        }
        int mask = index.length - 1;
        int i = PeerAddresses.hash(p.memory(), p.offset()) & mask;
        while (index[i] != p.id() + 1) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: later entries of the probe run move up, so no tombstones pile up.
        int hole = i;
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            PeerEntry q = peers[index[j] - 1];
            int home = PeerAddresses.hash(q.memory(), q.offset()) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
        peers[p.id()] = null;
        p.invalidate();
        count--;
        freeIds = pushFree(freeIds, p.id());
    }

    /** Invalidates every peer (the socket closed). */
    public void clear() {
        for (int id = 0; id < highWater; id++) {
            if (peers[id] != null) {
                peers[id].invalidate();
                peers[id] = null;
            }
        }
        Arrays.fill(index, 0);
        count = 0;
    }
}
