package dev.uring4j.runtime;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.Seccomp;

/**
 * Child JVM for {@link FallbackTest}: makes {@code io_uring_setup} fail with the errno in
 * {@code args[0]} for its main thread and every thread started from it (the loops), as a
 * container's seccomp profile does, before anything touches io_uring; then starts two echo servers
 * on groups of their own, the way an application that knows nothing of the filter would. Prints
 * {@code transport=...} and {@code listening on HOST:PORT} for each; stops when stdin closes. A
 * server that cannot start ends the child with status 1 and the exception on stderr.
 */
public final class FallbackServerMain {
    private FallbackServerMain() {}

    public static void main(String[] args) throws Exception {
        int r = Seccomp.failSyscalls(Integer.parseInt(args[0]), Seccomp.NR_IO_URING_SETUP);
        if (r < 0) {
            throw new ErrnoException("prctl (installing the seccomp filter)", r);
        }
        System.out.println("seccomp=" + Seccomp.mode());
        TcpServer first;
        TcpServer second;
        try {
            first = TcpServer.builder().handler(EchoHandler::new).start();
            second = TcpServer.builder().threads(2).handler(EchoHandler::new).start();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        try (first; second) {
            for (TcpServer s : new TcpServer[] {first, second}) {
                System.out.println("transport=" + s.group().transport());
                System.out.println("listening on " + s.localAddress().getAddress().getHostAddress() + ":"
                        + s.localAddress().getPort());
            }
            System.out.flush();
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }
}
