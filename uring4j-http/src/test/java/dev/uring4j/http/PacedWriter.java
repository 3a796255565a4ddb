package dev.uring4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streamed response body written at the client's pace, the way the javadoc of
 * {@link HttpResponse} shows: it writes on the event loop while the response is writable, and when
 * a write says to stop, it asks {@link HttpResponse#onWritable} to call it again. Its octets are a
 * few random chunks in rotation, so a client can check every octet it receives ({@link #expected})
 * without the server computing anything per octet.
 */
final class PacedWriter implements Runnable {
    private static final byte[][] CHUNKS = new byte[5][];

    static {
        Random random = new Random(20261203);
        for (int i = 0; i < CHUNKS.length; i++) {
            CHUNKS[i] = new byte[64 * 1024];
            random.nextBytes(CHUNKS[i]);
        }
    }

    /** What the writers of one handler did, readable from any thread. */
    static final class Progress {
        /** Octets written so far. */
        final AtomicLong written = new AtomicLong();
        /** How often a writer was told to wait. */
        final AtomicInteger waits = new AtomicInteger();
        /** Bodies ended. */
        final AtomicInteger ended = new AtomicInteger();
    }

    private final HttpResponse response;
    private final int chunk;
    private final Progress progress;
    private long left;
    private long position;

    private PacedWriter(HttpResponse response, long length, int chunk, Progress progress) {
        this.response = response;
        this.chunk = chunk;
        this.progress = progress;
        this.left = length;
    }

    /** Answers with {@code length} octets in writes of {@code chunk} octets (at most 64 KiB). */
    static HttpHandler handler(long length, int chunk, Progress progress) {
        if (chunk > CHUNKS[0].length) {
            throw new IllegalArgumentException("chunk " + chunk);
        }
        return (request, response) -> {
            response.header("Content-Type", "application/octet-stream").start(length);
            new PacedWriter(response, length, chunk, progress).run();
        };
    }

    /** The octet at {@code position} of every body this writer streams with writes of {@code chunk} octets. */
    static byte expected(long position, int chunk) {
        return writeAt(position, chunk)[(int) (position % chunk)];
    }

    /** The array whose first {@code chunk} octets (or fewer, at the end) are the write that starts at {@code position}. */
    static byte[] writeAt(long position, int chunk) {
        return CHUNKS[(int) ((position / chunk) % CHUNKS.length)];
    }

    /** {@link #digest(InputStream)} of the {@code length} octets a writer of {@code chunk}-octet writes streams. */
    static String digest(long length, int chunk) {
        MessageDigest digest = sha256();
        for (long at = 0; at < length; at += chunk) {
            digest.update(writeAt(at, chunk), 0, (int) Math.min(chunk, length - at));
        }
        return describe(digest, length);
    }

    /** Reads {@code in} to its end and closes it: the SHA-256 of what it read and how many octets, for comparing bodies. */
    static String digest(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[CHUNKS[0].length];
        long length = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; length += n) {
                digest.update(buffer, 0, n);
            }
        }
        return describe(digest, length);
    }

    /** How {@link #digest} words a body's digest, for a receiver that digests as it goes. */
    static String describe(MessageDigest digest, long length) {
        return "SHA-256 " + HexFormat.of().formatHex(digest.digest()) + " of " + length + " octets";
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** The octets a writer of {@code chunk}-octet writes streams, as a stream: a request body a client sends without holding it. */
    static InputStream octets(long length, int chunk) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position == length) {
                    return -1;
                }
                int inChunk = (int) (position % chunk);
                int n = (int) Math.min(Math.min(len, chunk - inChunk), length - position);
                System.arraycopy(writeAt(position, chunk), inChunk, b, off, n);
                position += n;
                return n;
            }
        };
    }

    @Override
    public void run() {
        while (left > 0) {
            int n = (int) Math.min(left, chunk);
            byte[] data = writeAt(position, chunk);
            left -= n;
            position += n;
            boolean more = response.write(data, 0, n);
            progress.written.addAndGet(n);
            if (!more && left > 0) {
                progress.waits.incrementAndGet();
                response.onWritable(this);
                return;
            }
        }
        response.end();
        progress.ended.incrementAndGet();
    }
}
