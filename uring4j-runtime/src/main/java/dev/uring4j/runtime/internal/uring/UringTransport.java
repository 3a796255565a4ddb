package dev.uring4j.runtime.internal.uring;

import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.uring4j.ring.Probe;
import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.internal.LoopServer;
import dev.uring4j.runtime.internal.LoopUdp;
import dev.uring4j.runtime.internal.ServerConfig;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.TransportProvider;
import dev.uring4j.runtime.internal.UdpConfig;

/** The io_uring transport: {@link UringEventLoop}s and {@link UringServer}s. */
public final class UringTransport implements TransportProvider {
    public static final UringTransport INSTANCE = new UringTransport();

    /**
     * What the io_uring transport cannot run without, whatever {@code UringOptions.Path}s are
     * disabled (each path has an older way to do its job; these do not). Together: Linux 5.19.
     * <ul>
     * <li>{@link Probe.Feature#EXT_ARG} (5.11): every wait is bounded by the nearest timer through
     *     {@code IORING_ENTER_EXT_ARG}; a timeout SQE per wait is not implemented.</li>
     * <li>{@link Probe.Feature#SUBMIT_ALL} (5.18): every ring is set up with it, so one bad SQE
     *     cannot strand the rest of a batch.</li>
     * <li>{@link Probe.Feature#MSG_RING} (5.18): a loop wakes another loop with a ring message.</li>
     * <li>{@link Probe.Feature#CANCEL_ANY} (5.19): closing a connection cancels everything on its
     *     descriptor ({@code IORING_ASYNC_CANCEL_FD | ALL}) and shutdown cancels everything in
     *     flight ({@code IORING_ASYNC_CANCEL_ANY}) before memory is freed.</li>
     * </ul>
     */
    public static final Set<Probe.Feature> REQUIRED = Collections.unmodifiableSet(EnumSet.of(Probe.Feature.EXT_ARG,
            Probe.Feature.SUBMIT_ALL, Probe.Feature.MSG_RING, Probe.Feature.CANCEL_ANY));

    /**
     * What UDP on the io_uring transport needs beyond {@link #REQUIRED}: one multishot
     * {@code recvmsg} stays armed per socket ({@link Probe.Feature#RECVMSG_MULTISHOT}, 6.0) and
     * there is no single-shot receive path. Together with {@link #REQUIRED}: Linux 6.0.
     */
    public static final Set<Probe.Feature> UDP_REQUIRED = Collections.unmodifiableSet(EnumSet.of(
            Probe.Feature.RECVMSG_MULTISHOT));

    /** The required features {@code probe} lacks, each with why (naming the feature and its kernel). */
    public static Map<Probe.Feature, String> missingRequired(Probe probe) {
        return missing(probe, REQUIRED);
    }

    /** Those of {@code features} that {@code probe} lacks, each with why. */
    public static Map<Probe.Feature, String> missing(Probe probe, Set<Probe.Feature> features) {
        Map<Probe.Feature, String> missing = new LinkedHashMap<>();
        for (Probe.Feature f : features) {
            String why = probe.whyMissing(f);
            if (why != null) {
                missing.put(f, why);
            }
        }
        return missing;
    }

    /** {@code "EXT_ARG 5.11, SUBMIT_ALL 5.18, ..."}. */
    public static String summary(Set<Probe.Feature> features) {
        return features.stream().map(f -> f.name() + " " + f.kernel()).collect(Collectors.joining(", "));
    }

    private UringTransport() {}

    @Override
    public Transport transport() {
        return Transport.IO_URING;
    }

    @Override
    public TransportLoop[] newLoops(int threads, LoopOptions options, String namePrefix) {
        ServerTable servers = new ServerTable();
        UringEventLoop[] loops = new UringEventLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new UringEventLoop(i, options, namePrefix + "-" + i, servers);
        }
        return loops;
    }

    @Override
    public LoopServer startServer(LoopGroup group, ServerConfig config) throws IOException {
        return UringServer.start(group, config);
    }

    @Override
    public LoopUdp startUdp(LoopGroup group, UdpConfig config) throws IOException {
        Map<Probe.Feature, String> missing = missing(Probe.current(), UDP_REQUIRED);
        if (!missing.isEmpty()) {
            throw new IOException("UDP on the io_uring transport needs what this kernel lacks: "
                    + String.join("; ", missing.values()) + "; the group given runs on io_uring: give the endpoint "
                    + "a group on Transport.NIO, or none, and it starts one of its own on NIO");
        }
        return LoopUdp.start(group, config, UringUdp.OPENER);
    }
}
