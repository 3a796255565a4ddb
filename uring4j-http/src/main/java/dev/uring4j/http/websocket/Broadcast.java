package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.SharedBuffer;

/**
 * One message to many server sessions, encoded once: the frame (header and payload; a server's
 * frames are not masked, so one encoding fits every session) is written into a {@link SharedBuffer}
 * and each session's connection queues it by reference. The caller's reference is dropped at the
 * end, each loop's task holds one while it runs, each connection one until the kernel is done, and a
 * session holding the frame back holds one: the memory goes with the last of them.
 */
final class Broadcast {
    private Broadcast() {
    }

    static int send(boolean text, MemorySegment payload, long offset, int length, Collection<WebSocket> sessions) {
        MessageBuffer header = new MessageBuffer(FrameWriter.MAX_HEADER);
        new FrameWriter(false).header(header, FrameWriter.FIN | (text ? FrameReader.OP_TEXT : FrameReader.OP_BINARY), length);
        int frameLength = header.length + length;
        SharedBuffer frame = SharedBuffer.allocate(frameLength);
        MemorySegment.copy(header.array(), 0, frame.segment(), ValueLayout.JAVA_BYTE, 0, header.length);
        MemorySegment.copy(payload, offset, frame.segment(), header.length, length);
        Map<EventLoop, List<WebSocket>> byLoop = new IdentityHashMap<>();
        int open = 0;
        for (WebSocket s : sessions) {
            if (s.sender().masking()) {
                frame.release();
                throw new IllegalArgumentException("broadcast is for server sessions: a client masks each frame with its own key");
            }
            if (s.isOpen()) {
                open++;
                byLoop.computeIfAbsent(s.eventLoop(), l -> new ArrayList<>()).add(s);
            }
        }
        try {
            for (Map.Entry<EventLoop, List<WebSocket>> e : byLoop.entrySet()) {
                List<WebSocket> group = e.getValue();
                if (e.getKey().inEventLoop()) {
                    deliver(frame, frameLength, group);
                } else {
                    frame.retain();
                    e.getKey().execute(() -> {
                        try {
                            deliver(frame, frameLength, group);
                        } finally {
                            frame.release();
                        }
                    });
                }
            }
        } finally {
            frame.release();
        }
        return open;
    }

    /** On the sessions' loop: each writes the frame through, or holds it back with a reference of its own. */
    private static void deliver(SharedBuffer frame, int frameLength, List<WebSocket> sessions) {
        for (int i = 0, n = sessions.size(); i < n; i++) {
            WebSocket s = sessions.get(i);
            Sender sender = s.sender();
            if (sender.writesThrough()) {
                if (s.connection.write(frame, 0, frameLength)) {
                    s.connection.flush();
                } else {
                    s.connection.abort(); // past the output limit: the peer has stopped reading
                }
            } else if (s.state() == WebSocket.OPEN) {
                sender.hold(new SharedFrame(frame.retain(), frameLength));
            }
        }
    }
}
