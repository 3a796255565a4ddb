package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Output queued in many blocks arrives whole and in order; on io_uring, with
 * {@link UringOptions.Path#SEND_BATCH}, it leaves in far fewer operations than one send per block.
 */
class SendBatchTest {
    private static final int CHUNK = 20_000;
    private static final int CHUNKS = 40;

    /** Writes {@link #CHUNKS} chunks (each in a block of its own: more than half a block) as it opens. */
    private static final class Writer extends Recorder {
        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            for (int i = 0; i < CHUNKS; i++) {
                byte[] chunk = Net.pattern(CHUNK, i);
                c.write(MemorySegment.ofArray(chunk), 0, CHUNK);
            }
            c.flush();
        }
    }

    /** SQEs the server's loop submitted to deliver the chunks to one reader that checks every byte. */
    private static long deliver(UringOptions uring) throws Exception {
        LoopOptions options = LoopOptions.builder().uring(uring).build();
        try (EventLoopGroup group = EventLoopGroup.builder().options(options).build();
             TcpServer server = TcpServer.builder().group(group).handler(Writer::new).start()) {
            long before = group.stats().sqesSubmitted();
            try (Socket s = Net.connect(server.localAddress(), 4 << 20)) {
                for (int i = 0; i < CHUNKS; i++) {
                    assertArrayEquals(Net.pattern(CHUNK, i), Net.read(s, CHUNK), "chunk " + i + " whole and in order");
                }
            }
            return group.stats().sqesSubmitted() - before;
        }
    }

    @Test
    void manyQueuedBlocksLeaveInOrderAndInFewSendmsgs() throws Exception {
        long batched = deliver(UringOptions.defaults());
        if (Transports.ioUring() && UringOptions.defaults().uses(UringOptions.Path.SEND_BATCH)) {
            long oneByOne = deliver(UringOptions.builder().disable(UringOptions.Path.SEND_BATCH).build());
            assertTrue(oneByOne >= CHUNKS, "one send per block: " + oneByOne + " SQEs");
            assertTrue(batched * 3 < oneByOne, "batched " + batched + " SQEs against " + oneByOne + " one block at a time");
        }
    }
}
