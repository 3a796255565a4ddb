package dev.uring4j.runtime.internal.uring;

import java.util.EnumSet;
import java.util.Set;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_COOP_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_DEFER_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_NO_SQARRAY;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SINGLE_ISSUER;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SUBMIT_ALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_TASKRUN_FLAG;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import dev.uring4j.runtime.UringOptions.Path;
import dev.uring4j.runtime.UringOptions;

/**
 * How one loop's ring is set up, and which of the runtime's io_uring paths the loop takes: each
 * {@link Path} where the kernel has it and the options allow it, else the older way it replaced.
 * Decided once, on the loop's thread, when the loop starts; read by everything the loop serves.
 */
final class UringPaths {
    /** Connections live in direct descriptors (a registered file table), not in normal fds. */
    final boolean direct;
    final boolean multishotRecv;
    final boolean multishotAccept;
    /** Ring-mapped provided buffers, else {@code IORING_OP_PROVIDE_BUFFERS}. */
    final boolean bufferRings;
    final boolean incremental;
    final boolean recvBundle;
    /** Tasks for other io_uring loops ride ring messages. */
    final boolean msgRingTasks;
    /** Several queued blocks per {@code sendmsg}. */
    final boolean sendBatch;
    /** Zero-copy sends of at least {@link #sendZcThreshold} bytes. */
    final boolean sendZc;
    final int sendZcThreshold;
    /** {@code IORING_OP_BIND} and {@code IORING_OP_LISTEN}, else bind(2) and listen(2). */
    final boolean bindListenOps;
    /** {@link dev.uring4j.runtime.LoopFile}s work through the ring, else through blocking calls on a pool. */
    final boolean fileIo;
    /** File regions are spliced to the socket through a pipe. */
    final boolean splice;
    /** Completions a waiting loop asks for, and how long the first may wait for the others. */
    private final WaitBatching waitBatching;
    private final Set<Path> inUse = EnumSet.noneOf(Path.class);

    /** Sets up the ring {@code options} ask for, with the best task-running mode the kernel offers. */
    static IoUring setUpRing(UringOptions options) throws ErrnoException {
        int flags = IORING_SETUP_SUBMIT_ALL;
        if (options.uses(Path.DEFER_TASKRUN)) {
            flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
        } else if (Probe.current().supports(Probe.Feature.TASKRUN_FLAG)) {
            flags |= IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
        }
        if (options.uses(Path.NO_SQARRAY)) {
            flags |= IORING_SETUP_NO_SQARRAY;
        }
        return IoUring.builder().entries(options.sqEntries()).cqEntries(options.cqEntries()).flags(flags)
                .registerRingFd(options.uses(Path.REGISTERED_RING_FD)).build();
    }

    UringPaths(UringOptions options, IoUring ring, System.Logger log) {
        direct = options.uses(Path.DIRECT_DESCRIPTORS);
        multishotRecv = options.uses(Path.RECV_MULTISHOT);
        multishotAccept = options.uses(Path.MULTISHOT_ACCEPT);
        bufferRings = options.uses(Path.BUFFER_RING);
        incremental = bufferRings && options.uses(Path.INCREMENTAL_BUFFERS);
        // A bundle spans whole consecutive buffers; an incremental buffer is shared by receives:
        // the two do not combine, and incremental consumption (off by default) wins when enabled.
        recvBundle = bufferRings && multishotRecv && !incremental && options.uses(Path.RECV_BUNDLE);
        sendZcThreshold = options.sendZcThreshold();
        sendZc = options.uses(Path.SEND_ZC);
        sendBatch = options.uses(Path.SEND_BATCH);
        msgRingTasks = options.uses(Path.MSG_RING_TASKS);
        bindListenOps = options.uses(Path.BIND_LISTEN);
        fileIo = options.uses(Path.FILE_IO);
        splice = options.uses(Path.SPLICE);
        WaitBatching batching = WaitBatching.none();
        if (options.batchCompletions() > 1) {
            String why = Probe.current().whyMissing(Probe.Feature.MIN_TIMEOUT);
            if (why == null) {
                batching = WaitBatching.fixed(options.batchCompletions(), (int) (options.batchMaxDelay().toNanos() / 1000));
            } else {
                log.log(System.Logger.Level.INFO, "batchWait is ignored: " + why + "; waking on the first completion");
            }
        } else if (options.uses(Path.ADAPTIVE_WAIT)) {
            batching = WaitBatching.adaptive(options.waitBudget().toNanos());
        }
        waitBatching = batching;

        int f = ring.setupFlags();
        record(Path.DEFER_TASKRUN, (f & IORING_SETUP_DEFER_TASKRUN) != 0);
        record(Path.REGISTERED_RING_FD, ring.isRingFdRegistered());
        record(Path.NO_SQARRAY, (f & IORING_SETUP_NO_SQARRAY) != 0);
        record(Path.DIRECT_DESCRIPTORS, direct);
        record(Path.MULTISHOT_ACCEPT, multishotAccept);
        record(Path.RECV_MULTISHOT, multishotRecv);
        record(Path.BUFFER_RING, bufferRings);
        record(Path.RECV_BUNDLE, recvBundle);
        record(Path.INCREMENTAL_BUFFERS, incremental);
        record(Path.SEND_BATCH, sendBatch);
        record(Path.SEND_ZC, sendZc);
        record(Path.MSG_RING_FD, options.uses(Path.MSG_RING_FD));
        record(Path.MSG_RING_TASKS, msgRingTasks);
        record(Path.BIND_LISTEN, bindListenOps);
        record(Path.FILE_IO, fileIo);
        record(Path.SPLICE, splice);
        record(Path.ADAPTIVE_WAIT, options.uses(Path.ADAPTIVE_WAIT));
        record(Path.NAPI_BUSY_POLL, options.uses(Path.NAPI_BUSY_POLL) && registerNapi(options, ring, log));
    }

    /** Registers NAPI busy polling; a refusal leaves the loop interrupt-driven, and says why. */
    private static boolean registerNapi(UringOptions options, IoUring ring, System.Logger log) {
        try {
            ring.registerNapi((int) (options.napiBusyPollTimeout().toNanos() / 1000), options.napiPreferBusyPoll());
            return true;
        } catch (ErrnoException e) {
            log.log(System.Logger.Level.WARNING, "NAPI busy polling is off: " + e.getMessage()
                    + "; receive stays interrupt-driven");
            return false;
        }
    }

    /** How the loop waits (belongs to the loop's thread from here on). */
    WaitBatching waitBatching() {
        return waitBatching;
    }

    private void record(Path path, boolean used) {
        if (used) {
            inUse.add(path);
        }
    }

    /** The paths this loop takes (for probe output and tests). */
    Set<Path> inUse() {
        return EnumSet.copyOf(inUse);
    }
}
