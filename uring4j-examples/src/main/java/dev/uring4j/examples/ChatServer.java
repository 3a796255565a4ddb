package dev.uring4j.examples;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.TcpServer;

/**
 * A line-based chat: every line a client sends goes to every other client, whichever event loop
 * serves them.
 *
 * <p>It shows two things. Returning fewer bytes than received from {@code onData} keeps a partial
 * line until the rest arrives. And writing to a connection of another loop is safe: the bytes
 * are copied and handed to that loop. Try it with {@code nc 127.0.0.1 7008} in a few terminals.
 */
public final class ChatServer {
    private ChatServer() {}

    /** One handler per client; all share the set of members. */
    public static final class Member implements ConnectionHandler {
        private final Set<Connection> members;

        public Member(Set<Connection> members) {
            this.members = members;
        }

        @Override
        public void onOpen(Connection c) {
            members.add(c);
        }

        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            int consumed = 0;
            for (int i = 0; i < length; i++) {
                if (buffer.get(JAVA_BYTE, offset + i) == '\n') {
                    byte[] line = new byte[i + 1 - consumed];
                    MemorySegment.copy(buffer, JAVA_BYTE, offset + consumed, line, 0, line.length);
                    for (Connection other : members) {
                        if (other != c) {
                            other.writeAndFlush(line);
                        }
                    }
                    consumed = i + 1;
                }
            }
            return consumed;                   // a partial line stays for the next onData
        }

        @Override
        public void onInputClosed(Connection c) {
            c.close();
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            members.remove(c);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7008;
        Set<Connection> members = ConcurrentHashMap.newKeySet();
        try (TcpServer server = TcpServer.builder().port(port).threads(2).handler(() -> new Member(members)).start()) {
            System.out.println("chat listening on " + server.localAddress());
            Thread.currentThread().join();
        }
    }
}
