package dev.uring4j.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member (RFC 1952) at a time: the JDK's raw deflate between a header and a trailer of
 * our own (CRC-32 and length of the input), written into a native buffer the caller takes from
 * ({@link #output()}, {@link #pending()}) whenever a step says it is full, and at flushes.
 *
 * <p>Pooled per event loop thread ({@link #acquire}, {@link #release}): a {@link Deflater} holds
 * a few hundred KiB of native state, far too much for one per connection, and only the responses a
 * loop is compressing at this moment need one. An encoder lost with an aborted response is left to
 * the garbage collector, whose cleaners free its native memory.
 */
final class GzipEncoder {
    /**
     * Bodies sent whole up to this size are compressed in one go and keep a {@code Content-Length};
     * larger ones stream chunked rather than holding their whole compressed form.
     */
    static final int WHOLE_BYTES = 64 * 1024;
    /** Raw deflate's worst case for {@link #WHOLE_BYTES} (stored blocks) plus gzip's framing, rounded up. */
    private static final int OUTPUT_BYTES = WHOLE_BYTES + 1024;
    /** Native input is copied through a heap array of this size, which is what {@link CRC32} and {@link Deflater} read best. */
    private static final int STAGE_BYTES = 16 * 1024;
    /** Idle encoders a loop keeps; more end their native state when released. */
    private static final int POOL_KEEP = 16;
    private static final ThreadLocal<ArrayDeque<GzipEncoder>> POOL = ThreadLocal.withInitial(ArrayDeque::new);

    /** Deflate what was fed, keeping output back until the buffer fills. */
    static final int NO_FLUSH = 0;
    /** Deflate and flush to a byte boundary, so the client can decode everything fed so far. */
    static final int SYNC_FLUSH = 1;
    /** End the member: the rest of the deflate stream and the trailer. */
    static final int FINISH = 2;

    /** ID1 ID2, CM deflate, no flags, no modification time, no extra flags, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final MemorySegment output = Arena.ofAuto().allocate(OUTPUT_BYTES);
    private final ByteBuffer buffer = output.asByteBuffer();
    private final byte[] stage = new byte[STAGE_BYTES];
    private long inputBytes;
    private boolean trailerWritten;

    private GzipEncoder() {
    }

    /** An encoder of this loop's pool, ready for a new member at {@code level}. */
    static GzipEncoder acquire(int level) {
        GzipEncoder e = POOL.get().poll();
        if (e == null) {
            e = new GzipEncoder();
        }
        e.begin(level);
        return e;
    }

    /** Returns this encoder to the pool of the loop it was acquired on. */
    void release() {
        ArrayDeque<GzipEncoder> pool = POOL.get();
        if (pool.size() < POOL_KEEP) {
            pool.push(this);
        } else {
            deflater.end();
        }
    }

    private void begin(int level) {
        deflater.reset();
        deflater.setLevel(level);
        crc.reset();
        inputBytes = 0;
        trailerWritten = false;
        buffer.clear();
        buffer.put(HEADER);
    }

    /** The native buffer compressed octets are in: {@code [0, pending())}. */
    MemorySegment output() {
        return output;
    }

    /** How many compressed octets wait in {@link #output()}. */
    int pending() {
        return buffer.position();
    }

    /** The caller took the pending octets. */
    void drained() {
        buffer.clear();
    }

    /**
     * Gives the compressor the next input, or as much of it as one step takes (all of an array;
     * a native one a stage at a time). Run {@link #step} with {@link #NO_FLUSH} until it returns
     * false before feeding more.
     *
     * @return how many octets were taken
     */
    int feed(byte[] array, MemorySegment segment, long offset, long length) {
        int n;
        if (array != null) {
            n = (int) length;
            deflater.setInput(array, (int) offset, n);
            crc.update(array, (int) offset, n);
        } else {
            n = (int) Math.min(length, STAGE_BYTES);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, stage, 0, n);
            deflater.setInput(stage, 0, n);
            crc.update(stage, 0, n);
        }
        inputBytes += n;
        return n;
    }

    /** Compresses a whole body of at most {@link #WHOLE_BYTES} into one member: {@code output()[0, pending())}. */
    void compressWhole(byte[] array, MemorySegment segment, long offset, int length) {
        for (long done = 0; done < length; ) {
            done += feed(array, segment, offset + done, length - done);
            if (step(NO_FLUSH)) {
                throw new IllegalStateException("deflate outgrew its bound of " + OUTPUT_BYTES + " bytes");
            }
        }
        if (step(FINISH)) {
            throw new IllegalStateException("deflate outgrew its bound of " + OUTPUT_BYTES + " bytes");
        }
    }

    /**
     * Compresses: with {@link #NO_FLUSH} until the input fed is taken, with {@link #SYNC_FLUSH}
     * until it is all out, with {@link #FINISH} until the member is complete.
     *
     * @return true if it stopped because the buffer is full: take the pending octets
     *     ({@link #drained}) and call again with the same mode; false when done (octets may still
     *     be pending)
     */
    boolean step(int mode) {
        switch (mode) {
            case NO_FLUSH -> {
                while (!deflater.needsInput()) {
                    deflater.deflate(buffer, Deflater.NO_FLUSH);
                    if (!buffer.hasRemaining()) {
                        return true;
                    }
                }
                return false;
            }
            case SYNC_FLUSH -> {
                deflater.deflate(buffer, Deflater.SYNC_FLUSH);
                // A flush that filled the buffer may have more to give.
                return !buffer.hasRemaining();
            }
            default -> {
                deflater.finish();
                while (!deflater.finished()) {
                    deflater.deflate(buffer, Deflater.NO_FLUSH);
                    if (!buffer.hasRemaining()) {
                        return true;
                    }
                }
                if (!trailerWritten) {
                    if (buffer.remaining() < 8) {
                        return true;
                    }
                    int at = buffer.position();
                    output.set(LE_INT, at, (int) crc.getValue());
                    output.set(LE_INT, at + 4, (int) inputBytes); // ISIZE: the length modulo 2^32
                    buffer.position(at + 8);
                    trailerWritten = true;
                }
                return false;
            }
        }
    }
}
