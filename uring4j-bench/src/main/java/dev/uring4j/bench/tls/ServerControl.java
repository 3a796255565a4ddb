package dev.uring4j.bench.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How {@link TlsBench} reads a server's own counters at the edges of a measurement window: the
 * server reads commands from its standard input and answers each with one line on its standard
 * output.
 *
 * <pre>
 * mark   →   mark allocated=BYTES requests=N connections=C
 * </pre>
 *
 * {@code allocated} is every byte the JVM's threads have allocated on the heap since it started,
 * terminated threads included ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}):
 * the event loop, the threads the TLS engine's handshake work runs on, and this thread's few
 * bytes per command. {@code requests} is the number of requests the server's handler has been
 * given. The difference of two marks over the difference of requests is bytes per request.
 * {@code connections} is the number of TCP connections the server holds open, handshaking or not.
 *
 * <p>Standard input at its end (a server started by the bench harness reads {@code /dev/null})
 * ends the thread and nothing else.
 */
public final class ServerControl {
    private ServerControl() {}

    /**
     * Starts the daemon thread that answers commands.
     *
     * @param requests    the requests handled so far, read from this thread (the server publishes it)
     * @param connections the connections open now, read from this thread
     * @throws IllegalStateException if this JVM cannot count threads' allocations
     */
    public static void start(LongSupplier requests, IntSupplier connections) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not count threads' allocated bytes (ThreadAllocatedMemory unsupported or disabled)");
        }
        Thread control = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String answer = switch (line.strip()) {
                        case "mark" -> "mark allocated=" + threads.getTotalThreadAllocatedBytes() + " requests=" + requests.getAsLong()
                                + " connections=" + connections.getAsInt();
                        default -> "control: unknown command '" + line.strip() + "' (mark)";
                    };
                    System.out.println(answer);
                    System.out.flush();
                }
            } catch (IOException e) {
                System.out.println("control: standard input failed: " + e.getMessage());
            }
        }, "bench-control");
        control.setDaemon(true);
        control.start();
    }
}
