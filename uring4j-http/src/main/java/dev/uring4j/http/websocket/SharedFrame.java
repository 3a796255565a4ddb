package dev.uring4j.http.websocket;

import dev.uring4j.runtime.SharedBuffer;

/**
 * One session's reference to a broadcast frame encoded once into shared native memory: held in a
 * {@link SendQueue} while the session's connection is not writable, then queued on the connection
 * by reference ({@code Connection.write(SharedBuffer, ...)}), which keeps its own reference until
 * the kernel is done with the memory.
 */
record SharedFrame(SharedBuffer buffer, int length) {
    void release() {
        buffer.release();
    }
}
