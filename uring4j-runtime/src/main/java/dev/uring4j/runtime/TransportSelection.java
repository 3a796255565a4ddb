package dev.uring4j.runtime;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import dev.uring4j.ring.UnavailabilityCause;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.internal.uring.UringTransport;

/**
 * Which transport a group runs on, and why: what a {@link Transport} resolves to in this
 * process.
 *
 * <p>The rules, in order:
 * <ol>
 * <li>The choice is the builder's when it is not {@link Transport#AUTO}, else
 *     {@code -During4j.transport} when set, else AUTO.</li>
 * <li>{@link Transport#NIO}: NIO, without touching io_uring (some sandboxes kill a process
 *     that calls {@code io_uring_setup} rather than refuse it).</li>
 * <li>io_uring must be set up ({@link IoUring#unavailabilityCause()}: the errno classified by
 *     {@code kernel.io_uring_disabled}, the thread's seccomp mode, the memlock limit) and the
 *     kernel must have the four features the io_uring transport cannot do without (all there
 *     from Linux 5.19): {@link Probe.Feature#EXT_ARG} (5.11; every wait is bounded by the nearest timer),
 *     {@link Probe.Feature#SUBMIT_ALL} (5.18; one bad SQE does not strand the rest of a batch),
 *     {@link Probe.Feature#MSG_RING} (5.18; one loop wakes another with a ring message) and
 *     {@link Probe.Feature#CANCEL_ANY} (5.19; closing and shutdown cancel everything in flight
 *     before memory is freed). The other features are {@link UringOptions.Path}s the io_uring
 *     transport does without.</li>
 * <li>If it cannot: AUTO runs on NIO ({@link #fallback()}, worth a WARN); IO_URING fails with the
 *     reason, an {@link ErrnoException} naming {@code io_uring_setup} and the errno when setup is
 *     refused.</li>
 * </ol>
 *
 * <p>UDP endpoints with a group of their own are placed by {@link #resolveForUdp}: UDP on the
 * io_uring transport also needs multishot {@code recvmsg} (Linux 6.0), so on a 5.19 kernel they run
 * on NIO while TCP in the same process runs on io_uring.
 *
 * @param transport {@link Transport#IO_URING} or {@link Transport#NIO}
 * @param reason    why, in words for a log line or {@code ./uring4j probe}
 * @param fallback  whether NIO was taken because io_uring cannot run (as opposed to being chosen)
 */
public record TransportSelection(Transport transport, String reason, boolean fallback) {

    /**
     * Resolves {@code choice} here, by the rules above. Cheap after the first call: the io_uring
     * probe is made once per process.
     *
     * @param choice the builder's transport; {@link Transport#AUTO} defers to
     *               {@code -During4j.transport} when it is set
     * @return the transport the group runs on, and why
     * @throws IOException naming the cause when io_uring is required and cannot run (an
     *                     {@link ErrnoException} naming {@code io_uring_setup} when setup is refused)
     * @throws IllegalArgumentException when {@code -During4j.transport} holds no transport
     */
    public static TransportSelection resolve(Transport choice) throws IOException {
        return resolve(Workload.TCP, choice);
    }

    /**
     * Resolves {@code choice} for a UDP endpoint's own group, by the rules above with the features
     * UDP on io_uring needs besides (multishot {@code recvmsg}, Linux 6.0): where the kernel lacks
     * them, AUTO runs the endpoint on NIO and IO_URING fails naming them.
     *
     * @param choice the builder's transport; {@link Transport#AUTO} defers to
     *               {@code -During4j.transport} when it is set
     * @return the transport the endpoint's group runs on, and why
     * @throws IOException naming the cause when io_uring is required and cannot run UDP here
     * @throws IllegalArgumentException when {@code -During4j.transport} holds no transport
     */
    public static TransportSelection resolveForUdp(Transport choice) throws IOException {
        return resolve(Workload.UDP, choice);
    }

    private static TransportSelection resolve(Workload workload, Transport choice) throws IOException {
        String origin;
        if (choice == Transport.AUTO && Transport.fromProperty() != Transport.AUTO) {
            choice = Transport.fromProperty();
            origin = "-D" + Transport.PROPERTY + "=" + System.getProperty(Transport.PROPERTY);
        } else {
            origin = "the builder's transport(" + choice + ")";
        }
        return decide(workload, choice, origin, IoUring::unavailabilityCause, () -> workload.missing(Probe.current()));
    }

    /** What a group is for, and so what the io_uring transport must have to run it. */
    enum Workload {
        /** Loops, TCP servers and clients: {@link UringTransport#REQUIRED}. */
        TCP("the io_uring transport", UringTransport.REQUIRED),
        /** A UDP endpoint: {@link UringTransport#REQUIRED} and {@link UringTransport#UDP_REQUIRED}. */
        UDP("UDP on the io_uring transport", union(UringTransport.REQUIRED, UringTransport.UDP_REQUIRED));

        private final String name;
        private final Set<Probe.Feature> required;

        Workload(String name, Set<Probe.Feature> required) {
            this.name = name;
            this.required = required;
        }

        Map<Probe.Feature, String> missing(Probe probe) {
            return UringTransport.missing(probe, required);
        }

        private static Set<Probe.Feature> union(Set<Probe.Feature> a, Set<Probe.Feature> b) {
            Set<Probe.Feature> u = EnumSet.copyOf(a);
            u.addAll(b);
            return u;
        }
    }

    /**
     * The rules as a function of what was observed (tests give every combination).
     *
     * @param workload what the group is for
     * @param choice   the effective choice
     * @param origin   where it came from, for messages ({@code "-During4j.transport=uring"})
     * @param cause    why io_uring cannot be set up, {@code null} when it can; asked only if needed
     * @param missing  the required features this kernel lacks, each with why; asked only if needed
     */
    static TransportSelection decide(Workload workload, Transport choice, String origin, Supplier<UnavailabilityCause> cause,
                                     Supplier<Map<Probe.Feature, String>> missing) throws IOException {
        if (choice == Transport.NIO) {
            return new TransportSelection(Transport.NIO, "NIO chosen by " + origin, false);
        }
        UnavailabilityCause unavailable = cause.get();
        if (unavailable != null) {
            if (choice == Transport.IO_URING) {
                throw new ErrnoException("io_uring_setup", unavailable.errno(), unavailable.hint() + "; " + origin
                        + " requires " + workload.name + ", so uring4j does not fall back to NIO");
            }
            return new TransportSelection(Transport.NIO, "io_uring is unavailable: " + unavailable.message(), true);
        }
        Map<Probe.Feature, String> lacking = missing.get();
        if (!lacking.isEmpty()) {
            String why = "this kernel lacks what " + workload.name + " requires: " + String.join("; ", lacking.values());
            if (choice == Transport.IO_URING) {
                throw new IOException(why + "; " + origin + " requires " + workload.name + ", so uring4j does not "
                        + "fall back to NIO (-D" + Transport.PROPERTY + "=nio runs on NIO)");
            }
            return new TransportSelection(Transport.NIO, why, true);
        }
        return new TransportSelection(Transport.IO_URING, "io_uring_setup works and the kernel has "
                + "every feature " + workload.name + " requires (" + UringTransport.summary(workload.required) + ")"
                + (choice == Transport.IO_URING ? "; required by " + origin : ""), false);
    }

    /** The line a group logs for this selection, naming the transport and the reason. */
    String logLine() {
        if (!fallback) {
            return "uring4j runs on the " + transport + " transport: " + reason;
        }
        String force = "-D" + Transport.PROPERTY + "=nio";
        return "uring4j runs on the NIO transport (epoll): " + reason
                + (reason.contains(force) ? "" : "; " + force + " selects NIO without trying io_uring");
    }
}
