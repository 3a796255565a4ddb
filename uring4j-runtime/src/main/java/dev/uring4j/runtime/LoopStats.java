package dev.uring4j.runtime;

/**
 * Counters of one event loop, as a snapshot. Read from another thread, the values are recent but
 * not necessarily from the same instant.
 *
 * <p>On the NIO transport ({@link EventLoop#transport()} {@code "nio"}) the same names count what
 * is there: {@code enters} are {@code Selector.select} calls, {@code completions} ready channels
 * handled, {@code wakeups} selects that waited and returned ready channels; the loop's one read
 * buffer is {@code bufferCount} 1 of {@code bufferBytes} bytes; {@code sqesSubmitted},
 * {@code bufferRingExhausted}, {@code sockNonEmpty}, {@code cqOverflows},
 * {@code droppedCompletions}, {@code peakBuffersInUse}, {@code zeroCopySends}, {@code inFlightOperations},
 * {@code buffersInUse} and {@code batchedWaits} stay 0.
 *
 * @param enters             io_uring_enter calls
 * @param sqesSubmitted      SQEs consumed by the kernel
 * @param completions        CQEs handled
 * @param wakeups            enters that returned with completions after waiting
 * @param tasks              tasks run (posted from other threads and timers)
 * @param bufferRingExhausted receives that ended with {@code -ENOBUFS} and moved to the next buffer group
 * @param sockNonEmpty       receive completions flagged {@code IORING_CQE_F_SOCK_NONEMPTY}
 * @param cqOverflows        times the loop saw {@code IORING_SQ_CQ_OVERFLOW}
 * @param droppedCompletions completions with an unknown {@code user_data} or an invalid buffer id, counted and dropped
 * @param bytesRead          bytes received
 * @param bytesWritten       bytes sent
 * @param connectionsOpened  connections opened on this loop
 * @param connectionsClosed  connections closed on this loop
 * @param openConnections    connections open now
 * @param peakBuffersInUse   the most provided buffers one batch of completions used (of {@code bufferCount})
 * @param bufferCount        provided buffers in the loop's groups
 * @param bufferBytes        native bytes of the loop's provided-buffer groups
 * @param outputBytes        native bytes held by connections now for queued output and unconsumed input
 * @param zeroCopySends      sends done with {@code IORING_OP_SEND_ZC}
 * @param inFlightOperations io_uring operations submitted (or about to be) whose last completion has not arrived
 * @param buffersInUse       provided buffers the loop holds now, between their completion and their return to
 *                           the ring (of {@code bufferCount}): the ring's occupancy is the rest
 * @param queuedOutputBytes  bytes the loop's connections have queued to send that the kernel has not taken
 * @param pooledBytes        native bytes of the loop's block pool: the blocks of {@code outputBytes} and those
 *                           kept for reuse (the pool grows to the loop's peak and keeps what it allocated)
 * @param batchedWaits       waits that let completions gather for a while before waking the loop
 *                           ({@code UringOptions.Path.ADAPTIVE_WAIT} or {@code batchWait})
 */
public record LoopStats(long enters, long sqesSubmitted, long completions, long wakeups, long tasks,
                        long bufferRingExhausted, long sockNonEmpty, long cqOverflows, long droppedCompletions,
                        long bytesRead, long bytesWritten, long connectionsOpened, long connectionsClosed,
                        long openConnections, long peakBuffersInUse, long bufferCount, long bufferBytes, long outputBytes,
                        long zeroCopySends, long inFlightOperations, long buffersInUse, long queuedOutputBytes,
                        long pooledBytes, long batchedWaits) {

    /**
     * Average SQEs submitted per {@code io_uring_enter}.
     *
     * @return {@code sqesSubmitted / enters}, or 0 before the first enter
     */
    public double sqesPerEnter() {
        return enters == 0 ? 0 : (double) sqesSubmitted / enters;
    }

    /**
     * Average completions handled per wakeup.
     *
     * @return {@code completions / wakeups}, or 0 before the first wakeup
     */
    public double completionsPerWakeup() {
        return wakeups == 0 ? 0 : (double) completions / wakeups;
    }

    /**
     * Sums two snapshots (group totals).
     *
     * @param o the other snapshot
     * @return every counter summed, except {@code peakBuffersInUse}: the larger of the two, as
     *         each loop's buffers are its own
     */
    public LoopStats plus(LoopStats o) {
        return new LoopStats(enters + o.enters, sqesSubmitted + o.sqesSubmitted, completions + o.completions,
                wakeups + o.wakeups, tasks + o.tasks, bufferRingExhausted + o.bufferRingExhausted,
                sockNonEmpty + o.sockNonEmpty, cqOverflows + o.cqOverflows, droppedCompletions + o.droppedCompletions,
                bytesRead + o.bytesRead, bytesWritten + o.bytesWritten, connectionsOpened + o.connectionsOpened,
                connectionsClosed + o.connectionsClosed, openConnections + o.openConnections,
                Math.max(peakBuffersInUse, o.peakBuffersInUse), bufferCount + o.bufferCount, bufferBytes + o.bufferBytes, outputBytes + o.outputBytes,
                zeroCopySends + o.zeroCopySends, inFlightOperations + o.inFlightOperations, buffersInUse + o.buffersInUse,
                queuedOutputBytes + o.queuedOutputBytes, pooledBytes + o.pooledBytes, batchedWaits + o.batchedWaits);
    }

    @Override
    public String toString() {
        return String.format("enters=%d sqes/enter=%.2f completions=%d completions/wakeup=%.2f batchedWaits=%d tasks=%d "
                        + "bufferRingExhausted=%d sockNonEmpty=%d cqOverflows=%d dropped=%d read=%dB written=%dB "
                        + "connections opened=%d closed=%d open=%d peakBuffersInUse=%d/%d bufferBytes=%d outputBytes=%d zc=%d "
                        + "inFlight=%d buffersInUse=%d queuedOutput=%dB pooled=%dB",
                enters, sqesPerEnter(), completions, completionsPerWakeup(), batchedWaits, tasks, bufferRingExhausted, sockNonEmpty,
                cqOverflows, droppedCompletions, bytesRead, bytesWritten, connectionsOpened, connectionsClosed,
                openConnections, peakBuffersInUse, bufferCount, bufferBytes, outputBytes, zeroCopySends,
                inFlightOperations, buffersInUse, queuedOutputBytes, pooledBytes);
    }
}
