package dev.uring4j.bench.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Echo server on the plain JDK: one thread, one {@link Selector}, no framework. What an NIO expert
 * writes: one direct read buffer shared by every connection (no per-message allocation, and the
 * JDK does no copy into a temporary direct buffer), replies written straight back, and only a
 * reply the socket cannot take yet is copied into that connection's own buffer, with reading
 * paused until it drains. {@link Selector#select(Consumer)} hands over ready keys without the
 * selected-key set and its iterator.
 */
public final class NioEchoServer {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile boolean running = true;

    private NioEchoServer(InetSocketAddress address) throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(address, 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    public static void main(String[] args) throws IOException {
        PeerArgs peer = PeerArgs.parse("NioEchoServer", args, Set.of());
        NioEchoServer server = new NioEchoServer(peer.address());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.running = false;
            server.selector.wakeup();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        peer.announce((InetSocketAddress) server.listener.getLocalAddress());
        try {
            server.run();
        } finally {
            stopped.countDown();
        }
    }

    private void run() throws IOException {
        while (running) {
            selector.select(onReady);
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    private void onReady(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                acceptAll();
            } else if (key.isWritable()) {
                flushPending(key);
            } else if (key.isReadable()) {
                echo(key);
            }
        } catch (IOException e) {
            close(key);   // ECONNRESET and friends end this connection only
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private void echo(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        ByteBuffer buffer = readBuffer;
        int n;
        do {
            buffer.clear();
            n = channel.read(buffer);
            if (n < 0) {
                close(key);
                return;
            }
            buffer.flip();
            channel.write(buffer);
            if (buffer.hasRemaining()) {
                // The socket is full: keep the rest for this connection and stop reading from it.
                ByteBuffer pending = (ByteBuffer) key.attachment();
                if (pending == null) {
                    pending = ByteBuffer.allocateDirect(BUFFER_SIZE);
                    key.attach(pending);
                }
                pending.clear();
                pending.put(buffer).flip();
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        } while (n == BUFFER_SIZE);   // a full buffer means more may be waiting
    }

    private void flushPending(SelectionKey key) throws IOException {
        ByteBuffer pending = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(pending);
        if (!pending.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a socket that already failed: nothing left to release
        }
    }
}
