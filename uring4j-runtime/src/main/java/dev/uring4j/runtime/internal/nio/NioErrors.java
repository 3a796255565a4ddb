package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.ConnectionException;

/**
 * The errno behind a JDK NIO exception, so that the NIO transport reports failures the way the
 * io_uring transport does ({@code recv on connection#3 ...: ECONNRESET (Connection reset by peer)}).
 *
 * <p>NIO does not expose errnos. Its native code throws an {@code IOException} (or
 * {@code ConnectException}, {@code NoRouteToHostException}, {@code BindException}) whose message
 * is the C library's text for the errno ({@code strerror}), sometimes followed by the JDK's own
 * detail ({@code ": host/port"} with {@code jdk.includeInExceptions=hostInfo}, or
 * {@code " (Write failed)"}); a reset seen by a read is its own wording, {@code "Connection reset"}.
 * The errno is recovered from that text: glibc's wording through {@link Errno#byMessage}, musl's
 * for the errnos sockets meet, then the exception's class. What cannot be recognised becomes
 * {@code EIO} with the JDK's exception kept as the cause, so nothing is lost. Stateless.
 */
public final class NioErrors {
    private NioErrors() {}

    /** The JDK's own words, and musl's where they differ from glibc's. */
    private static final Map<String, Integer> OTHER_WORDING = Map.ofEntries(
            Map.entry("Connection reset", Errno.ECONNRESET),             // SocketChannelImpl, on read
            Map.entry("No file descriptors available", Errno.EMFILE),    // musl
            Map.entry("Network unreachable", Errno.ENETUNREACH),         // musl
            Map.entry("Host is unreachable", Errno.EHOSTUNREACH),        // musl
            Map.entry("Operation timed out", Errno.ETIMEDOUT),           // musl
            Map.entry("Connection aborted", Errno.ECONNABORTED),         // musl
            Map.entry("Address in use", Errno.EADDRINUSE),               // musl
            Map.entry("Address not available", Errno.EADDRNOTAVAIL),     // musl
            Map.entry("Out of memory", Errno.ENOMEM));                   // musl

    /** The errno {@code e} stands for; {@code EIO} when it cannot be told. */
    public static int errno(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return Errno.ETIMEDOUT;
        }
        if (e instanceof ClosedChannelException) {
            // Closed under the operation (this includes AsynchronousCloseException).
            return Errno.EBADF;
        }
        int errno = byText(e.getMessage());
        if (errno != 0) {
            return errno;
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof ConnectException) {
            return Errno.ECONNREFUSED;
        }
        return Errno.EIO;
    }

    /** The failure of {@code operation} on {@code connection}, naming the errno, with the JDK's exception as cause. */
    public static ConnectionException connectionException(String operation, IOException e, String connection) {
        int errno = errno(e);
        ConnectionException ce = errno == Errno.EIO && !isEio(e)
                ? new ConnectionException(operation, errno, connection, "the JDK reported: " + e)
                : new ConnectionException(operation, errno, connection);
        ce.initCause(e);
        return ce;
    }

    /** The failure of a call that belongs to no connection ({@code socket}, {@code bind}, {@code accept}). */
    public static ErrnoException errnoException(String operation, IOException e) {
        if (e instanceof ErrnoException ee) {
            return ee;
        }
        int errno = errno(e);
        ErrnoException ee = new ErrnoException(operation, errno,
                errno == Errno.EIO && !isEio(e) ? "the JDK reported: " + e : null);
        ee.initCause(e);
        return ee;
    }

    private static boolean isEio(IOException e) {
        return byText(e.getMessage()) == Errno.EIO;
    }

    /** The errno whose text {@code message} is, or starts with before the JDK's detail; 0 if none. */
    private static int byText(String message) {
        if (message == null || message.isEmpty()) {
            return 0;
        }
        int errno = lookUp(message);
        if (errno != 0) {
            return errno;
        }
        int colon = message.indexOf(": ");
        if (colon > 0 && (errno = lookUp(message.substring(0, colon))) != 0) {
            return errno;
        }
        int paren = message.indexOf(" (");
        return paren > 0 ? lookUp(message.substring(0, paren)) : 0;
    }

    private static int lookUp(String text) {
        int errno = Errno.byMessage(text);
        return errno != 0 ? errno : OTHER_WORDING.getOrDefault(text, 0);
    }
}
