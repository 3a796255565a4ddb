package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;

/** Echoes what it receives, pausing reads while the peer does not keep up (tests' echo). */
final class EchoHandler implements ConnectionHandler {
    @Override
    public int onData(Connection c, MemorySegment buffer, long offset, int length) {
        if (!c.write(buffer, offset, length)) {
            c.pauseReading();
            return 0;
        }
        c.flush();
        if (!c.isWritable()) {
            c.pauseReading();
        }
        return length;
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable) {
            c.resumeReading();
        }
    }

    @Override
    public void onInputClosed(Connection c) {
        c.close();
    }
}
