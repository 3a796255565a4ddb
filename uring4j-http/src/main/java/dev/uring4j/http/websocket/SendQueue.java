package dev.uring4j.http.websocket;

import java.util.ArrayDeque;

/**
 * The whole frames one session holds back while its connection's output is above the high
 * watermark, oldest first, with their total size. Each entry is one complete frame (or a
 * {@link SharedFrame} reference for a broadcast), so dropping one never cuts a frame: the octets
 * already in the connection's queue are whole frames too. Owned by one session, used on its loop.
 */
final class SendQueue {
    private final ArrayDeque<Object> frames = new ArrayDeque<>();
    private long bytes;

    boolean isEmpty() {
        return frames.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    void add(byte[] frame) {
        frames.addLast(frame);
        bytes += frame.length;
    }

    void add(SharedFrame frame) {
        frames.addLast(frame);
        bytes += frame.length();
    }

    /** The oldest frame: a {@code byte[]} or a {@link SharedFrame}; null if none. */
    Object peek() {
        return frames.peekFirst();
    }

    /** Removes the oldest frame, releasing a shared one's reference if {@code release}. */
    void removeOldest(boolean release) {
        Object f = frames.pollFirst();
        if (f instanceof byte[] a) {
            bytes -= a.length;
        } else if (f instanceof SharedFrame s) {
            bytes -= s.length();
            if (release) {
                s.release();
            }
        }
    }

    /** Drops every frame, releasing shared ones. */
    void clear() {
        while (!frames.isEmpty()) {
            removeOldest(true);
        }
    }
}
