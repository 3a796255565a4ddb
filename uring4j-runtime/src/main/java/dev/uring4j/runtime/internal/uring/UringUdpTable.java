package dev.uring4j.runtime.internal.uring;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A loop's UDP sockets: the table completions are dispatched through, the list of sockets with
 * something to flush this iteration, and the buffer-group ids of endpoints with groups of their
 * own.
 *
 * <p>A UDP completion's {@code user_data} (see {@link UserData}) carries the socket's table index
 * in the low 16 bits of the slot field and, for sends, the send-queue slot in the high 16 bits;
 * the generation catches a completion for a previous occupant of the index. Owned by the loop's
 * thread.
 */
public final class UringUdpTable {
    static final int MAX_SOCKETS = 1 << 16;

    private final UringEventLoop loop;
    private final int firstBgid;
    private final BitSet bgidsInUse = new BitSet();
    private UringUdpSocket[] sockets = new UringUdpSocket[8];
    private int[] generations = new int[8];
    private boolean[] reserved = new boolean[8];
    private UringUdpSocket[] dirty = new UringUdpSocket[8];
    private int dirtyCount;
    private int open;
    /** Sends submitted since the loop last drained the CQ: each will post exactly one CQE. */
    private int sendsSinceDrain;

    /** @param firstBgid the first buffer-group id above the loop's own groups */
    UringUdpTable(UringEventLoop loop, int firstBgid) {
        this.loop = loop;
        this.firstBgid = firstBgid;
    }

    /** Reserves a table index for a socket being built; {@link #install} or {@link #unreserve} follows. */
    int reserve() {
        for (int i = 0; i < reserved.length; i++) {
            if (!reserved[i]) {
                reserved[i] = true;
                return i;
            }
        }
        if (reserved.length == MAX_SOCKETS) {
            throw new IllegalStateException("a loop serves at most " + MAX_SOCKETS + " UDP sockets");
        }
        int i = reserved.length;
        int n = Math.min(MAX_SOCKETS, reserved.length * 2);
        sockets = Arrays.copyOf(sockets, n);
        generations = Arrays.copyOf(generations, n);
        reserved = Arrays.copyOf(reserved, n);
        reserved[i] = true;
        return i;
    }

    /** The generation the socket at {@code index} gets: one more than its previous occupant's. */
    int nextGeneration(int index) {
        return ++generations[index] & UserData.GENERATION_MASK;
    }

    void install(UringUdpSocket s) {
        sockets[s.index] = s;
        open++;
    }

    void unreserve(int index) {
        reserved[index] = false;
    }

    /** The socket finished closing: its index may be reused. */
    void released(UringUdpSocket s) {
        if (sockets[s.index] == s) {
            sockets[s.index] = null;
            reserved[s.index] = false;
            open--;
        }
    }

    int open() {
        return open;
    }

    /** Hands a recvmsg/sendmsg completion to its socket, or drops it if it has none. */
    void dispatch(int op, long userData, int res, int flags) {
        int slot = UserData.slot(userData);
        int i = slot & 0xFFFF;
        UringUdpSocket s = i < sockets.length ? sockets[i] : null;
        if (s == null || s.generation != UserData.generation(userData)) {
            loop.unowned(userData, flags, "no UDP socket of that generation at index " + i);
            return;
        }
        s.onCompletion(op, slot >>> 16, res, flags);
    }

    // ------------------------------------------------------------------ flush phase

    void markDirty(UringUdpSocket s) {
        if (s.dirty) {
            return;
        }
        s.dirty = true;
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = s;
    }

    /** Once per iteration, before the loop waits: every socket with something queued or recycled. */
    void flush() {
        // dirtyCount is read on every pass, so a socket marked while another flushes is flushed too.
        for (int i = 0; i < dirtyCount; i++) {
            UringUdpSocket s = dirty[i];
            dirty[i] = null;
            s.flush();
        }
        dirtyCount = 0;
    }

    /** A send SQE was prepared; its one CQE is still to come. */
    void sendPrepared() {
        sendsSinceDrain++;
    }

    /** The loop is about to drain the CQ: sends prepared from now on complete after this drain. */
    void draining() {
        sendsSinceDrain = 0;
    }

    /**
     * Completions the loop is sure to get from its own UDP sends. A datagram send usually
     * completes inline, inside the {@code io_uring_enter} that submits it, so its CQE is already
     * there when that enter starts waiting: waiting for one completion would return at once and
     * cost a loop iteration and another enter per wakeup. The loop waits for this many more.
     */
    int expectedCompletions() {
        return sendsSinceDrain;
    }

    // ------------------------------------------------------------------ buffer groups of their own

    /** {@code n} consecutive free buffer-group ids. */
    int reserveBgids(int n) {
        int first = firstBgid;
        while (true) {
            int used = bgidsInUse.nextSetBit(first);
            if (used < 0 || used >= first + n) {
                break;
            }
            first = used + 1;
        }
        if (first + n > 0xFFFF) {
            throw new IllegalStateException("no " + n + " free buffer group ids left on " + loop.name());
        }
        bgidsInUse.set(first, first + n);
        return first;
    }

    void releaseBgids(int first, int n) {
        bgidsInUse.clear(first, first + n);
    }

    // ------------------------------------------------------------------ shutdown

    /** The loop is shutting down: close every socket (queued datagrams are still sent). */
    void closeAll() {
        for (UringUdpSocket s : sockets) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** The loop cannot go on: every socket closes at the final drain, its handler hearing {@code cause}. */
    void failAll(Throwable cause) {
        for (UringUdpSocket s : sockets) {
            if (s != null) {
                s.loopDied(cause);
            }
        }
    }

    /** The shutdown deadline passed: cancel what the kernel still holds. */
    void abortAll() {
        for (UringUdpSocket s : sockets) {
            if (s != null) {
                s.abort();
            }
        }
    }

    /** After the loop's final drain (an abnormal exit): free what sockets still hold. */
    void freeAfterDrain() {
        for (UringUdpSocket s : sockets) {
            if (s != null && !s.isReleased()) {
                s.freeAfterDrain();
            }
        }
    }
}
