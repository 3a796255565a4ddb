package dev.uring4j.bench.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.uring4j.bench.CpuTime;

/**
 * One run of the keep-alive HTTPS cell: wrk (OpenSSL, one thread, {@code conns} keep-alive
 * connections, one request at a time on each) on the load CPU against one server on the server
 * CPU. wrk runs for warm-up, window and a second more; the window is measured inside, between two
 * of the server's {@link ServerControl} marks, so the connections' handshakes (at wrk's start)
 * and their closes (at its end) are outside it, and so is the JIT's warm-up.
 *
 * @param server         the server's name
 * @param protocol       the TLS protocol the server was limited to
 * @param negotiated     what {@code openssl s_client} agreed with it: protocol and cipher suite
 * @param seconds        the window's length
 * @param requests       requests the server's handler was given in the window
 * @param allocatedBytes bytes the server's threads allocated in the window
 * @param cpuNs          the server's CPU time in the window, all threads ({@code /proc/PID/stat})
 * @param othersPct      CPU 0's busy time in the window not spent by the server, in percent of
 *                       the window: what other tenants took from the server's CPU
 * @param wrkErrors      non-2xx answers and socket errors wrk counted over its whole run
 */
record AllocationRun(String server, String protocol, String negotiated, double seconds, long requests,
                     long allocatedBytes, long cpuNs, double othersPct, long wrkErrors) {

    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    double requestsPerSecond() {
        return requests / seconds;
    }

    double bytesPerRequest() {
        return (double) allocatedBytes / requests;
    }

    double cpuMicrosPerRequest() {
        return cpuNs / 1e3 / requests;
    }

    /** Runs wrk against {@code server} and measures the window. */
    static AllocationRun measure(String name, String protocol, ServerUnderTest server, TlsBench.Options o, Path wrkLog)
            throws IOException, InterruptedException {
        String negotiated = negotiated(server.port, o.loadCpu());
        Process wrk = new ProcessBuilder("taskset", "-c", Integer.toString(o.loadCpu()), "wrk", "-t1", "-c" + o.conns(),
                "-d" + (o.warmup() + o.seconds() + 1) + "s", "https://127.0.0.1:" + server.port + "/plaintext")
                .redirectErrorStream(true).redirectOutput(wrkLog.toFile()).start();
        try {
            Thread.sleep(o.warmup() * 1000L);
            ServerUnderTest.Mark m0 = server.mark();
            CpuTime c0 = server.cpu(o.nsPerTick());
            CpuBusy busy0 = CpuBusy.of(o.serverCpu());
            long t0 = System.nanoTime();
            Thread.sleep(o.seconds() * 1000L);
            ServerUnderTest.Mark m1 = server.mark();
            CpuTime c1 = server.cpu(o.nsPerTick());
            CpuBusy busy = CpuBusy.of(o.serverCpu()).minus(busy0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (wrk.waitFor() != 0) {
                throw new IOException("wrk exited with status " + wrk.exitValue() + ": " + Files.readString(wrkLog).strip());
            }
            long cpuNs = c1.minus(c0).totalNs();
            // /proc/stat counts in the same clock ticks as /proc/PID/stat.
            double cpu0Ns = (double) busy.busy() * o.nsPerTick();
            double totalNs = (double) busy.total() * o.nsPerTick();
            double others = totalNs > 0 ? 100 * Math.max(0, cpu0Ns - cpuNs) / totalNs : 0;
            long requests = m1.requests() - m0.requests();
            if (requests <= 0) {
                throw new IOException("the server answered no request in the window (wrk: " + wrkLog + ")");
            }
            return new AllocationRun(name, protocol, negotiated, seconds, requests, m1.allocated() - m0.allocated(),
                    cpuNs, others, wrkErrors(Files.readString(wrkLog)));
        } finally {
            wrk.destroyForcibly();
        }
    }

    private static long wrkErrors(String out) {
        long errors = 0;
        Matcher m = NON_2XX.matcher(out);
        if (m.find()) {
            errors += Long.parseLong(m.group(1));
        }
        m = SOCKET_ERRORS.matcher(out);
        if (m.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(m.group(g));
            }
        }
        return errors;
    }

    /** The protocol and suite {@code openssl s_client} agrees with the server, or why not known. */
    private static String negotiated(int port, int cpu) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("taskset", "-c", Integer.toString(cpu), "openssl", "s_client", "-brief",
                    "-connect", "127.0.0.1:" + port).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            return "(openssl not installed)";
        }
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher version = Pattern.compile("Protocol version: (\\S+)").matcher(out);
        Matcher suite = Pattern.compile("Ciphersuite: (\\S+)").matcher(out);
        return version.find() && suite.find() ? version.group(1) + " " + suite.group(1) : "(openssl s_client: " + out.strip() + ")";
    }

    String tsv() {
        return String.join("\t", server, protocol, negotiated, String.format("%.3f", seconds), Long.toString(requests),
                Long.toString(allocatedBytes), Long.toString(cpuNs), String.format("%.1f", othersPct), Long.toString(wrkErrors));
    }
}
