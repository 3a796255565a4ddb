package dev.uring4j.runtime.internal.uring;

import java.util.Arrays;

/**
 * The TCP servers of one group of io_uring loops, by id. A connection handed from the accepting
 * loop to another with {@code msg_ring} arrives as a completion whose {@code user_data} carries
 * only its server's id; the receiving loop finds the server here. Ids are never reused, so a
 * hand-over still in flight when its server closes finds no server rather than another one.
 * Shared by the group's loops: written under its lock, read without one.
 */
final class ServerTable {
    private volatile UringServer[] servers = new UringServer[4];
    private int next;

    /** Adds {@code server}; returns its id. */
    synchronized int add(UringServer server) {
        int id = next++;
        UringServer[] s = servers;
        if (id >= s.length) {
            s = Arrays.copyOf(s, s.length * 2);
        }
        s[id] = server;
        servers = s;
        return id;
    }

    /** The server is closed: hand-overs that still arrive for it find nothing. */
    synchronized void remove(int id) {
        UringServer[] s = servers.clone();
        s[id] = null;
        servers = s;
    }

    /** The server with {@code id}, or {@code null}. */
    UringServer get(int id) {
        UringServer[] s = servers;
        return id >= 0 && id < s.length ? s[id] : null;
    }
}
