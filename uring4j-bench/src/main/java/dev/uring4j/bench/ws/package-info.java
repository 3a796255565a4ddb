/**
 * uring4j's side of the WebSocket cells ({@code ws-echo-c512}, {@code ws-broadcast-1000}): the
 * server {@code ./uring4j bench} starts, beside Netty's peer in {@code dev.uring4j.bench.peers}.
 */
package dev.uring4j.bench.ws;
