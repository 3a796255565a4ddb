package dev.uring4j.runtime;

import dev.uring4j.ring.ErrnoException;

/**
 * An I/O operation of a connection failed: the message names the operation ({@code recv},
 * {@code send}, {@code accept}, {@code connect}), the errno and the connection. A
 * {@link UdpSocket}'s failures are reported the same way ({@code recvmsg}, {@code send to
 * ADDRESS}). {@link #errno()} gives the errno to act on.
 */
public class ConnectionException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception whose message names the operation, the connection and the errno.
     *
     * @param operation  the operation that failed ({@code "recv"}, {@code "connect"})
     * @param errno      the errno, either sign
     * @param connection the connection or socket, as it names itself in logs
     */
    public ConnectionException(String operation, int errno, String connection) {
        super(operation + " on " + connection, errno);
    }

    /**
     * An exception whose message names the operation, the connection, the errno and what it
     * means here.
     *
     * @param operation  the operation that failed ({@code "recv"}, {@code "connect"})
     * @param errno      the errno, either sign
     * @param connection the connection or socket, as it names itself in logs
     * @param hint       what the failure means here and what to do, or {@code null}
     */
    public ConnectionException(String operation, int errno, String connection, String hint) {
        super(operation + " on " + connection, errno, hint);
    }
}
