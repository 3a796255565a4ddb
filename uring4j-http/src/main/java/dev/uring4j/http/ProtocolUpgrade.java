package dev.uring4j.http;

import java.util.List;
import java.util.Objects;

import dev.uring4j.runtime.ConnectionHandler;

/**
 * Switches a connection from HTTP/1.1 to another protocol (RFC 9110 section 7.8): answers the
 * request with {@code 101 Switching Protocols} and hands the connection to a
 * {@link ConnectionHandler} of that protocol. The WebSocket route
 * ({@code dev.uring4j.http.websocket}) is built on it.
 *
 * <p>After the 101 is written, every octet of the connection goes to {@code next}: first the
 * octets that arrived behind the request head (a client may send them without waiting), then what
 * comes later; the HTTP engine's timers stop and it reads nothing more. {@code next} sees the
 * runtime {@link dev.uring4j.runtime.Connection} as any handler does: {@link ConnectionHandler#onOpen}
 * first (it may write at once: the 101 is queued before), then its data, writability and close
 * events, on the connection's loop. With TLS the connection is the decrypted one, as for HTTP.
 */
public final class ProtocolUpgrade {
    private ProtocolUpgrade() {
    }

    /**
     * Answers {@code response}'s request with {@code 101 Switching Protocols}, {@code Connection:
     * Upgrade}, {@code Upgrade: protocol} and {@code headers}, then hands the connection to
     * {@code next}. From a thread other than the connection's loop the switch is posted to the loop.
     * Nothing happens if the client has gone already.
     *
     * @param response the response of the request that asked for the upgrade; it must not have
     *     been started
     * @param protocol the {@code Upgrade} value: the protocol switched to, such as {@code websocket}
     * @param headers further response header fields
     * @param next the handler the connection belongs to from now on
     * @throws IllegalStateException if the response has been started, or (on the loop) if the
     *     request is not the only one the connection has open: a pipelined upgrade would leave
     *     earlier responses and later requests on the wrong side of the switch, or if the request
     *     has a body that was not read to its end
     */
    public static void switchProtocols(HttpResponse response, String protocol, List<HttpHeader> headers,
            ConnectionHandler next) {
        Objects.requireNonNull(next, "next");
        ByteBuf fields = new ByteBuf(128);
        HttpHeader.encode(fields, "Upgrade", protocol);
        for (HttpHeader h : headers) {
            fields.append(h.bytes());
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("the response has been started; a protocol switch is the whole response");
        }
        Exchange ex = response.exchange();
        if (ex.connection.inEventLoop()) {
            ex.connection.switchProtocols(ex, fields, next);
        } else {
            ex.touchedOffLoop = true;
            ex.connection.execute(() -> ex.connection.switchProtocols(ex, fields, next));
        }
    }
}
