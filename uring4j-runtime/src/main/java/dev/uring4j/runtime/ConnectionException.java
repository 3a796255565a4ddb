package dev.uring4j.runtime;

import dev.uring4j.ring.ErrnoException;

/**
 * An I/O operation of a connection failed: the message names the operation ({@code recv},
 * {@code send}, {@code accept}, {@code connect}), the errno and the connection.
 */
public class ConnectionException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String operation, int errno, String connection) {
        super(operation + " on " + connection, errno);
    }

    public ConnectionException(String operation, int errno, String connection, String hint) {
        super(operation + " on " + connection, errno, hint);
    }
}
