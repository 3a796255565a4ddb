package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Echoes every message as one message of the same type, and records each session's close code by its peer's port. */
final class EchoHandler implements WebSocketHandler {
    private final Map<Integer, CompletableFuture<Integer>> closes = new ConcurrentHashMap<>();

    /** The close code the session whose peer uses {@code port} ends (or ended) with. */
    CompletableFuture<Integer> closeOf(int port) {
        return closes.computeIfAbsent(port, p -> new CompletableFuture<>());
    }

    @Override
    public void onText(WebSocket socket, String text) {
        socket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
        socket.sendBinary(data, offset, length);
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        closeOf(socket.remoteAddress().getPort()).complete(code);
    }
}
