package dev.uring4j.examples.game;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The wire format of the game example, little-endian, read and written in place (no objects).
 *
 * <pre>
 *  input    (client to server, 24 B): 0 type=1 | 4 seq i32 | 8 clientTimeNs i64 | 16 moveX i16 | 18 moveY i16 | 20 pad
 *  snapshot (server to client):       0 type=2 | 4 tick i32 | 8 ackSeq i32 | 12 n i32 | 16 echoTimeNs i64
 *                                     | 24 x i32 | 28 y i32 | 32 n x {id i32, x i32, y i32}
 *  baseline (server to a new client): 0 type=3 | 4 tick i32 | 8 chunk i32 | 12 n i32 | 16 n x {id, x, y}
 * </pre>
 *
 * A snapshot echoes the client time of the last input it folded in, so a client measures input to
 * acknowledgement (which includes waiting for the next tick). Baselines, the whole world sent to a
 * client when it joins, are split into chunks of equal size: one burst to one peer, which the
 * runtime sends as a single GSO {@code sendmsg}.
 */
final class GameProtocol {
    private GameProtocol() {}

    static final byte INPUT = 1;
    static final byte SNAPSHOT = 2;
    static final byte BASELINE = 3;

    static final int INPUT_SIZE = 24;
    static final int SNAPSHOT_HEADER = 32;
    static final int BASELINE_HEADER = 16;
    static final int ENTITY = 12;
    /** Entities per baseline chunk: 16 + 99 x 12 = 1204 bytes, under any path MTU. */
    static final int BASELINE_ENTITIES = 99;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static byte type(MemorySegment m, long at) {
        return m.get(JAVA_BYTE, at);
    }

    static void writeInput(MemorySegment m, int seq, long clientTimeNs, int moveX, int moveY) {
        m.set(JAVA_BYTE, 0, INPUT);
        m.set(INT, 4, seq);
        m.set(LONG, 8, clientTimeNs);
        m.set(SHORT, 16, (short) moveX);
        m.set(SHORT, 18, (short) moveY);
        m.set(INT, 20, 0);
    }
}
