package dev.uring4j.runtime;

import java.io.IOException;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;

/**
 * Child JVM for {@link EmfileTest}: an echo server whose descriptor limit is its current
 * descriptor count plus {@code args[0]}. {@code args[1]} = "direct" or "plain" picks the accept path.
 */
public final class EmfileServerMain {
    private EmfileServerMain() {}

    public static void main(String[] args) throws Exception {
        int extra = Integer.parseInt(args[0]);
        boolean direct = args[1].equals("direct");
        LoopOptions options = direct ? LoopOptions.defaults()
                : LoopOptions.builder().uring(UringOptions.builder().disable(UringOptions.Path.DIRECT_DESCRIPTORS).build()).build();
        long hard = LibC.rlimit(LibC.RLIMIT_NOFILE)[1];
        // Descriptors the server needs for itself (ring, eventfd, listener) come out of the margin.
        long limit = Net.openFds() + extra;
        int r = LibC.setRlimit(LibC.RLIMIT_NOFILE, limit, hard);
        if (r < 0) {
            throw new ErrnoException("setrlimit(RLIMIT_NOFILE)", r);
        }
        try (TcpServer server = TcpServer.builder().options(options).backlog(64).handler(EchoHandler::new).start()) {
            System.out.println("limit=" + limit);
            System.out.println("listening on " + server.localAddress().getAddress().getHostAddress() + ":"
                    + server.localAddress().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        } catch (IOException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
