package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLSession;

/**
 * A loop's scratch memory for its TLS connections, used by one connection at a time on the loop's
 * thread: ciphertext gathered for reading ({@link #netIn}: a partial record kept from before, then
 * what arrived), the plaintext records decrypt into ({@link #appIn}) before the handler sees it,
 * and one record being encrypted ({@link #netOut}). Only what outlives a call is per connection
 * (a partial record, plaintext not yet encrypted), so an idle connection holds none of this.
 *
 * <p>The buffers are on the heap: the engine decrypts a record where it lies and encrypts into its
 * destination, and the JDK's ciphers work on arrays; given direct buffers they copy through
 * temporary arrays for every record, which is garbage on every request.
 */
final class TlsBuffers {
    /** Ciphertext read at once beyond a kept partial record: several records per engine pass. */
    private static final int READ_CHUNK = 64 * 1024;

    ByteBuffer netIn;
    MemorySegment netInSegment;
    ByteBuffer appIn;
    MemorySegment appInSegment;
    ByteBuffer netOut;
    MemorySegment netOutSegment;
    /** The one-buffer array the engine's gathering and scattering calls take, reused. */
    final ByteBuffer[] one = new ByteBuffer[1];

    TlsBuffers(SSLSession session) {
        fit(session);
    }

    /** Room for the largest record {@code session} may send or receive; grows, never shrinks. */
    void fit(SSLSession session) {
        int packet = session.getPacketBufferSize();
        int app = session.getApplicationBufferSize();
        if (netOut == null || netOut.capacity() < packet) {
            netOut = ByteBuffer.allocate(packet);
            netOutSegment = MemorySegment.ofBuffer(netOut);
            netIn = ByteBuffer.allocate(packet + READ_CHUNK);
            netInSegment = MemorySegment.ofBuffer(netIn);
        }
        if (appIn == null || appIn.capacity() < app) {
            appIn = ByteBuffer.allocate(app);
            appInSegment = MemorySegment.ofBuffer(appIn);
        }
    }

    /** The most ciphertext a connection may keep between reads: what {@link #netIn} holds besides a fresh read. */
    int maxKept() {
        return netIn.capacity() - 1;
    }
}
