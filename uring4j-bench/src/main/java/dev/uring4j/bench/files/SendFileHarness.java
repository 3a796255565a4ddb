package dev.uring4j.bench.files;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.ring.uapi.Fcntl;

/**
 * How a large file goes from the page cache to a TCP socket through io_uring, three ways, measured
 * side by side on one ring and one connection per round, the ways interleaved round by round:
 * {@code read} (READ into a buffer, SEND from it), {@code readcopy} (the same with the copy into an
 * output block that {@code StaticFiles} makes through {@code HttpResponse.write}), and {@code splice}
 * (SPLICE file to pipe, SPLICE pipe to socket: the bytes never enter user memory). Each chunk is two
 * operations linked ({@code IOSQE_IO_LINK}) and one wait, the same in every mode, so the modes differ
 * only in the data path ({@code readcopy}, whose copy sits between its two operations, waits twice).
 *
 * <pre>
 * taskset -c 0 java ... SendFileHarness serve FILE PORT ROUNDS CHUNK   # prints a line per round, then medians
 * taskset -c 1 java ... SendFileHarness sink PORT CONNECTIONS           # reads each connection to its end
 * </pre>
 *
 * Server CPU is the process's (io_uring's worker threads count: they are threads of the process).
 */
public final class SendFileHarness {
    private static final String[] MODES = {"read", "readcopy", "splice"};
    private static final int F_SETPIPE_SZ = 1031;

    private SendFileHarness() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("sink")) {
            sink(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 5 && args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            System.err.println("usage: serve FILE PORT ROUNDS CHUNK | sink PORT CONNECTIONS");
            System.exit(2);
        }
    }

    private static void serve(String file, int port, int rounds, int chunk) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(8)) {
            int listener = check(LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0), "socket");
            check(LibC.setsockoptInt(listener, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1), "SO_REUSEADDR");
            MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress("127.0.0.1", port));
            check(LibC.bind(listener, addr, len), "bind");
            check(LibC.listen(listener, 16), "listen");
            MemorySegment path = arena.allocateFrom(file, StandardCharsets.UTF_8);
            ring.getSqe().prepOpenat(Fcntl.AT_FDCWD, path.address(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0).userData(1);
            int fd = check(complete(ring), "openat " + file);
            long size = java.nio.file.Files.size(java.nio.file.Path.of(file));
            MemorySegment buf = arena.allocate(chunk, 4096);
            MemorySegment block = arena.allocate(chunk, 4096);
            MemorySegment pipe = arena.allocate(JAVA_INT, 2);
            check(LibC.pipe2(pipe, Fcntl.O_CLOEXEC), "pipe2");
            int pipeRead = pipe.getAtIndex(JAVA_INT, 0);
            int pipeWrite = pipe.getAtIndex(JAVA_INT, 1);
            int pipeSize = check(LibC.fcntl(pipeWrite, F_SETPIPE_SZ, chunk), "F_SETPIPE_SZ");
            System.out.println("file " + file + " (" + size + " bytes), chunk " + chunk + ", pipe " + pipeSize
                    + ", " + rounds + " rounds of each mode, interleaved; round 0 of each is warm-up");
            for (int round = 0; round <= rounds; round++) {
                for (String mode : MODES) {
                    int sock = check(LibC.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, LibC.SOCK_CLOEXEC), "accept4");
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    long sent = switch (mode) {
                        case "splice" -> sendSplice(ring, fd, size, pipeRead, pipeWrite, sock, chunk);
                        default -> sendRead(ring, fd, size, buf, mode.equals("readcopy") ? block : null, sock);
                    };
                    long wall = System.nanoTime() - t0;
                    long cpu = os.getProcessCpuTime() - cpu0;
                    LibC.close(sock);
                    double mbs = sent / 1e6 / (wall / 1e9);
                    double cpuPerGb = cpu / 1e6 / (sent / 1e9);
                    System.out.printf("round %d %-8s %d bytes  %8.0f MB/s  server CPU %6.1f ms per GB%n", round, mode, sent, mbs, cpuPerGb);
                    if (round > 0) {
                        results.computeIfAbsent(mode, m -> new ArrayList<>()).add(new double[] {mbs, cpuPerGb});
                    }
                }
            }
            LibC.close(fd);
            LibC.close(pipeRead);
            LibC.close(pipeWrite);
            LibC.close(listener);
        }
        System.out.println("mode       MB/s median [min..max]        server CPU ms/GB median [min..max]");
        for (var e : results.entrySet()) {
            double[] mb = e.getValue().stream().mapToDouble(v -> v[0]).sorted().toArray();
            double[] cp = e.getValue().stream().mapToDouble(v -> v[1]).sorted().toArray();
            System.out.printf("%-9s %7.0f [%5.0f..%5.0f]      %7.1f [%5.1f..%5.1f]%n", e.getKey(), mb[mb.length / 2], mb[0],
                    mb[mb.length - 1], cp[cp.length / 2], cp[0], cp[cp.length - 1]);
        }
    }

    /** READ a chunk, (copy it into an output block,) SEND it all; the next chunk after. */
    private static long sendRead(IoUring ring, int fd, long size, MemorySegment buf, MemorySegment block, int sock) {
        long off = 0;
        int chunk = (int) buf.byteSize();
        while (off < size) {
            int n = (int) Math.min(chunk, size - off);
            if (block == null) {
                // The length of every chunk is known (the file's size is), so the send links to the read.
                ring.getSqe().prepRead(fd, buf.address(), n, off).userData(2).addFlags(IOSQE_IO_LINK);
                ring.getSqe().prepSend(sock, buf.address(), n, LibC.MSG_NOSIGNAL | LibC.MSG_WAITALL).userData(3);
                expect(ring, 2, n, "read then send");
            } else {
                ring.getSqe().prepRead(fd, buf.address(), n, off).userData(2);
                expect(ring, 1, n, "read");
                MemorySegment.copy(buf, 0, block, 0, n);
                ring.getSqe().prepSend(sock, block.address(), n, LibC.MSG_NOSIGNAL | LibC.MSG_WAITALL).userData(3);
                expect(ring, 1, n, "send");
            }
            off += n;
        }
        return off;
    }

    /** SPLICE a chunk from the file into the pipe, linked to the SPLICE of it from the pipe into the socket. */
    private static long sendSplice(IoUring ring, int fd, long size, int pipeRead, int pipeWrite, int sock, int chunk) {
        long off = 0;
        while (off < size) {
            int n = (int) Math.min(chunk, size - off);
            ring.getSqe().prepSplice(fd, off, pipeWrite, -1, n, 0).userData(4).addFlags(IOSQE_IO_LINK);
            ring.getSqe().prepSplice(pipeRead, -1, sock, -1, n, 0).userData(5);
            expect(ring, 2, n, "splice file to pipe, pipe to socket");
            off += n;
        }
        return off;
    }

    /**
     * Submits and takes {@code count} completions, each of which must have moved {@code bytes}: a
     * short transfer would break the chain's arithmetic, so the harness stops rather than measure it.
     */
    private static void expect(IoUring ring, int count, int bytes, String what) {
        for (int i = 0; i < count; i++) {
            int r = complete(ring);
            if (r != bytes) {
                throw new IllegalStateException(what + ": " + (r < 0 ? Errno.describe(r) : r + " bytes of " + bytes));
            }
        }
    }

    /** Waits for the next completion (submitting what is prepared), takes it and returns its result. */
    private static int complete(IoUring ring) {
        while (ring.cqReady() == 0) {
            int r = ring.submitAndWait(1);
            if (r < 0 && r != -Errno.EINTR) {
                check(r, "io_uring_enter");
            }
        }
        // One at a time: a chain's second completion is taken by the next call.
        int res = ring.cq().res(0);
        ring.cq().advance(1);
        return res;
    }

    private static int check(int r, String what) {
        if (r < 0) {
            throw new IllegalStateException(what + ": " + Errno.describe(r));
        }
        return r;
    }

    private static void sink(int port, int connections) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(1 << 20);
            MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress("127.0.0.1", port));
            long[] totals = new long[connections];
            for (int i = 0; i < connections; i++) {
                int s = check(LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0), "socket");
                int r;
                while ((r = LibC.connect(s, addr, len)) == -Errno.ECONNREFUSED) {
                    Thread.sleep(50); // the server is not listening yet: a harness, not a test
                }
                check(r, "connect");
                for (long n; (n = LibC.read(s, buf, buf.byteSize())) != 0; ) {
                    if (n < 0 && n != -Errno.EINTR) {
                        throw new IllegalStateException("read: " + Errno.describe((int) n));
                    }
                    totals[i] += Math.max(0, n);
                }
                LibC.close(s);
            }
            System.out.println("sink read " + Arrays.toString(totals));
        }
    }
}
