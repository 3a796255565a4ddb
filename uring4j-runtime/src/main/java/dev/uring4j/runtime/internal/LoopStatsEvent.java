package dev.uring4j.runtime.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

import dev.uring4j.runtime.LoopStats;

/**
 * A JFR event per running loop every ten seconds while a recording runs: the figures of
 * {@link LoopStats}, so a flight recording of a production server shows what the soak and the
 * tests watch. Emitted by a periodic hook, which JFR calls only while recording: a loop pays
 * nothing for it otherwise.
 */
@Name("dev.uring4j.LoopStats")
@Label("uring4j Event Loop")
@Category("uring4j")
@Description("One event loop's counters: operations in flight, provided buffers in use, queued output, connections")
@Period("10 s")
@StackTrace(false)
final class LoopStatsEvent extends Event {

    /** The loops running now, each added as it starts and removed as it ends. */
    private static final Set<TransportLoop> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        FlightRecorder.addPeriodicEvent(LoopStatsEvent.class, LoopStatsEvent::emit);
    }

    @Label("Loop")
    String loop;

    @Label("Transport")
    String transport;

    @Label("Operations In Flight")
    long inFlightOperations;

    @Label("Provided Buffers In Use")
    long buffersInUse;

    @Label("Provided Buffers")
    long bufferCount;

    @Label("Buffer Ring Exhausted")
    @Description("Receives that ended with ENOBUFS and moved to the next buffer group")
    long bufferRingExhausted;

    @Label("CQ Overflows")
    long cqOverflows;

    @Label("Queued Output")
    @DataAmount
    long queuedOutputBytes;

    @Label("Native Blocks Held")
    @DataAmount
    long outputBytes;

    @Label("Open Connections")
    long openConnections;

    @Label("Completions Per Wake-up")
    double completionsPerWakeup;

    @Label("Completions")
    long completions;

    @Label("Batched Waits")
    long batchedWaits;

    @Label("Bytes Read")
    @DataAmount
    long bytesRead;

    @Label("Bytes Written")
    @DataAmount
    long bytesWritten;

    @Label("Dropped Completions")
    long droppedCompletions;

    static void started(TransportLoop loop) {
        RUNNING.add(loop);
    }

    static void ended(TransportLoop loop) {
        RUNNING.remove(loop);
    }

    private static void emit() {
        for (TransportLoop l : RUNNING) {
            LoopStats s = l.stats();
            LoopStatsEvent e = new LoopStatsEvent();
            e.loop = l.name();
            e.transport = l.transport().name();
            e.inFlightOperations = s.inFlightOperations();
            e.buffersInUse = s.buffersInUse();
            e.bufferCount = s.bufferCount();
            e.bufferRingExhausted = s.bufferRingExhausted();
            e.cqOverflows = s.cqOverflows();
            e.queuedOutputBytes = s.queuedOutputBytes();
            e.outputBytes = s.outputBytes();
            e.openConnections = s.openConnections();
            e.completionsPerWakeup = s.completionsPerWakeup();
            e.completions = s.completions();
            e.batchedWaits = s.batchedWaits();
            e.bytesRead = s.bytesRead();
            e.bytesWritten = s.bytesWritten();
            e.droppedCompletions = s.droppedCompletions();
            e.commit();
        }
    }
}
