package dev.uring4j.bench.ws;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.uring4j.bench.peers.BroadcastTick;
import dev.uring4j.bench.peers.PeerArgs;
import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.http.websocket.WebSocket;
import dev.uring4j.http.websocket.WebSocketHandler;
import dev.uring4j.http.websocket.WebSocketOptions;
import dev.uring4j.http.websocket.WebSocketRoute;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.TcpServer;

/**
 * uring4j's WebSocket server as the WebSocket cells measure it, serving what Netty's peer
 * ({@link dev.uring4j.bench.peers.NettyWebSocketServer}) serves, on one loop:
 * <ul>
 *   <li>{@code /echo}: every message is sent back as it came, text as text, binary as binary;
 *   <li>{@code /broadcast}: at each {@link BroadcastTick} one binary frame goes to every session
 *       with {@link WebSocket#broadcast}, which encodes it once into shared native memory that every
 *       connection sends from by reference. The tick stops while nobody listens.
 * </ul>
 * Sessions have no idle timeout, as Netty's have none; the transport is the runtime's choice
 * ({@code -During4j.transport=nio} for the fallback).
 */
public final class UringWebSocketServer {
    private UringWebSocketServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("UringWebSocketServer", args, Set.of("--tick-hz", "--payload"));
        WebSocketOptions options = WebSocketOptions.builder().idleTimeout(Duration.ZERO).build();
        Router router = Router.builder()
                .get("/echo", WebSocketRoute.builder(new Echo()).options(options).build())
                .get("/broadcast", WebSocketRoute.builder(new Broadcaster(BroadcastTick.of(peer))).options(options).build())
                .build();
        TcpServer server = HttpServer.builder(router).build().serve(TcpServer.builder().address(peer.address()).threads(1));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("transport " + server.group().transport());
        peer.announce(server.localAddress());
        stopped.await();
    }

    /** Sends every message back. */
    static final class Echo implements WebSocketHandler {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
            socket.sendBinary(data, offset, length);
        }
    }

    /** The broadcast's sessions and tick, all on the server's one loop. */
    static final class Broadcaster implements WebSocketHandler {
        private final List<WebSocket> members = new ArrayList<>();
        private final BroadcastTick tick;
        private EventLoop loop;
        private boolean ticking;

        Broadcaster(BroadcastTick tick) {
            this.tick = tick;
        }

        @Override
        public void onOpen(WebSocket socket) {
            members.add(socket);
            loop = socket.eventLoop();
            if (!ticking) {
                ticking = true;
                loop.schedule(tick.start(), TimeUnit.NANOSECONDS, this::tick);
            }
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            members.remove(socket);
        }

        private void tick() {
            if (members.isEmpty()) {
                ticking = false;
                return;
            }
            byte[] payload = tick.payload();
            WebSocket.broadcast(false, payload, 0, payload.length, members);
            loop.schedule(tick.advance(), TimeUnit.NANOSECONDS, this::tick);
        }
    }
}
