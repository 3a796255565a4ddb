package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** An event loop of a particular transport: what the public API asks of it beyond {@link EventLoop}. */
abstract class TransportLoop extends EventLoop {

    /** Opens a connection to {@code address}; runs on any thread, completes {@code future} on the loop. */
    abstract void connect(ClientConfig config, InetSocketAddress address, CompletableFuture<Connection> future);

    /** Starts a graceful shutdown that must be finished by {@code deadlineNanos} ({@link System#nanoTime()}). */
    abstract void shutdown(long deadlineNanos);

    /** Completes when the loop's thread has finished and its resources are freed. */
    abstract CompletableFuture<Void> terminationFuture();
}
