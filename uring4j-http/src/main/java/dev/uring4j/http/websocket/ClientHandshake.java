package dev.uring4j.http.websocket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;

/**
 * The client side of the opening handshake (RFC 6455 section 4.1) on one TCP connection: sends the
 * upgrade request, reads and checks the server's response, and from then on passes the connection's
 * events to the session ({@link SessionHandler}). Octets that followed the response head in the
 * same receive view are the session's first frames.
 */
final class ClientHandshake implements ConnectionHandler {
    /** The largest response head read; a server's 101 is a few hundred octets. */
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final WebSocketOptions options;
    private Connection connection;
    private WebSocketHandler handler;
    private List<String> subprotocols;
    private String key;
    private CompletableFuture<WebSocket> future;
    private SessionHandler session;

    ClientHandshake(WebSocketOptions options) {
        this.options = options;
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        c.attach(this);
    }

    /** Sends the upgrade request; on the connection's loop. */
    void start(URI uri, WebSocketHandler handler, List<String> subprotocols, Map<String, String> headers,
            CompletableFuture<WebSocket> future) {
        this.handler = handler;
        this.subprotocols = subprotocols;
        this.future = future;
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce); // a nonce, not a secret (RFC 6455 section 4.1)
        key = Base64.getEncoder().encodeToString(nonce);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder r = new StringBuilder(256).append("GET ").append(path);
        if (uri.getRawQuery() != null) {
            r.append('?').append(uri.getRawQuery());
        }
        r.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() > 0) {
            r.append(':').append(uri.getPort());
        }
        r.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: 13\r\n");
        if (!subprotocols.isEmpty()) {
            r.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
        }
        if (options.perMessageDeflate()) {
            r.append("Sec-WebSocket-Extensions: ").append(PerMessageDeflate.CLIENT_OFFER).append("\r\n");
        }
        headers.forEach((name, value) -> r.append(name).append(": ").append(value).append("\r\n"));
        r.append("\r\n");
        connection.writeAndFlush(r.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public int onData(Connection c, MemorySegment buffer, long offset, int length) {
        if (session != null) {
            return session.data(buffer, offset, length);
        }
        if (future == null) {
            return 0; // the request is not sent yet: a server has nothing to say before it
        }
        int end = headEnd(buffer, offset, length);
        if (end < 0) {
            if (length > MAX_HEAD_BYTES) {
                refuse("a response head longer than " + MAX_HEAD_BYTES + " octets");
                return length;
            }
            return 0;
        }
        byte[] head = new byte[end];
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset, head, 0, end);
        String error = accept(new String(head, StandardCharsets.ISO_8859_1));
        if (error != null) {
            refuse(error);
            return length;
        }
        return end + (end < length ? session.data(buffer, offset + end, length - end) : 0);
    }

    /** Checks the response head; on success opens the session and returns null, else says what is wrong. */
    private String accept(String head) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].equals("HTTP/1.1") || !status[1].equals("101")) {
            return "the server answered \"" + lines[0] + "\" instead of 101 Switching Protocols";
        }
        Map<String, List<String>> fields = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            fields.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        List<String> none = List.of();
        if (!Handshake.tokens(fields.getOrDefault("upgrade", none), true).contains("websocket")) {
            return "the 101 response has no Upgrade: websocket";
        }
        if (!Handshake.tokens(fields.getOrDefault("connection", none), true).contains("upgrade")) {
            return "the 101 response has no Connection: Upgrade";
        }
        List<String> accept = fields.getOrDefault("sec-websocket-accept", none);
        if (accept.size() != 1 || !accept.get(0).equals(Handshake.accept(key))) {
            return "Sec-WebSocket-Accept " + accept + " does not answer the key (expected " + Handshake.accept(key) + ")";
        }
        List<String> protocol = fields.getOrDefault("sec-websocket-protocol", none);
        if (protocol.size() > 1 || (protocol.size() == 1 && !subprotocols.contains(protocol.get(0)))) {
            return "the server chose subprotocol " + protocol + ", which was not offered " + subprotocols;
        }
        List<String> extensions = PerMessageDeflate.splitList(fields.getOrDefault("sec-websocket-extensions", none));
        String deflate = null;
        if (!extensions.isEmpty()) {
            if (extensions.size() > 1 || !options.perMessageDeflate()) {
                return "the server accepted extensions that were not offered: " + extensions;
            }
            deflate = extensions.get(0);
            try {
                PerMessageDeflate.client(deflate).end();
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        session = new SessionHandler(handler, options, true, protocol.isEmpty() ? null : protocol.get(0), deflate);
        session.onOpen(connection);
        future.complete(session.session());
        return null;
    }

    private void refuse(String why) {
        future.completeExceptionally(new IOException("WebSocket handshake with " + connection.remoteAddress() + " failed: " + why));
        connection.close();
    }

    /** The offset just past the CRLF CRLF that ends the head, or -1. */
    private static int headEnd(MemorySegment buffer, long offset, int length) {
        for (int i = 3; i < length; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, offset + i) == '\n' && buffer.get(ValueLayout.JAVA_BYTE, offset + i - 1) == '\r'
                    && buffer.get(ValueLayout.JAVA_BYTE, offset + i - 2) == '\n' && buffer.get(ValueLayout.JAVA_BYTE, offset + i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    @Override
    public void onInputClosed(Connection c) {
        if (session != null) {
            session.onInputClosed(c);
        } else {
            c.close();
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (session != null) {
            session.onWritabilityChanged(c, writable);
        }
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        if (session != null) {
            session.onClose(c, cause);
        } else if (future != null) {
            future.completeExceptionally(cause != null ? cause
                    : new IOException("the connection to " + c.remoteAddress() + " closed during the WebSocket handshake"));
        }
    }
}
