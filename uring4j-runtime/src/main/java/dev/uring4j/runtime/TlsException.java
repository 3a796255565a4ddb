package dev.uring4j.runtime;

import javax.net.ssl.SSLException;

/**
 * A TLS connection failed: the handshake did not complete (the peer's certificate was refused,
 * the peer sent an alert, no protocol or cipher suite in common, the handshake timed out, the peer
 * spoke plaintext) or a record could not be read. The message names the TLS operation, the
 * connection and the cause; when the engine refused something the cause is its
 * {@link SSLException}, whose message names the alert ({@code "Received fatal alert:
 * unknown_ca"}, {@code "PKIX path building failed"}).
 *
 * <p>A client's {@link TcpClient#connect} future fails with it when the handshake fails; a
 * server's handler never sees a connection whose handshake failed (its {@code onOpen} runs only
 * after the handshake), and the failure goes to {@link TlsConfig.Builder#onHandshakeFailure}; a
 * failure after the handshake reaches the handler's {@code onClose}.
 */
public class TlsException extends SSLException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception naming what failed.
     *
     * @param operation  {@code "handshake"}, {@code "unwrap"} (reading records) or {@code "wrap"} (writing them)
     * @param connection the connection, as it names itself in logs
     * @param what       what went wrong
     * @param cause      the engine's exception, or {@code null}
     */
    public TlsException(String operation, String connection, String what, Throwable cause) {
        super("TLS " + operation + " on " + connection + ": " + what, cause);
    }
}
