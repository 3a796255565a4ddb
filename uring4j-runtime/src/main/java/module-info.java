/**
 * Event loops, TCP servers and clients, and UDP endpoints on io_uring, with a JDK NIO transport
 * where io_uring cannot run. Applications use {@code dev.uring4j.runtime}; the loops and the two
 * transports behind it live in packages that are not exported.
 */
module dev.uring4j.runtime {
    requires transitive dev.uring4j.ring;
    // Periodic flight-recorder events of each loop's counters (LoopStatsEvent).
    requires jdk.jfr;

    exports dev.uring4j.runtime;
}
