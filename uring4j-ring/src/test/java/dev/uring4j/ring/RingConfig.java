package dev.uring4j.ring;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_COOP_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_DEFER_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SINGLE_ISSUER;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQPOLL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_TASKRUN_FLAG;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The setup-flag matrix binding tests run over (liburing's test.h): the kernel default, the
 * modern single-issuer configuration, cooperative task running, and SQPOLL.
 */
enum RingConfig {
    DEFAULT(0, false, null),
    DEFER_TASKRUN(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, true, Probe.Feature.DEFER_TASKRUN),
    COOP_TASKRUN(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, false, Probe.Feature.TASKRUN_FLAG),
    SQPOLL(IORING_SETUP_SQPOLL, false, null);

    final int flags;
    final boolean registerRingFd;
    final Probe.Feature needs;

    RingConfig(int flags, boolean registerRingFd, Probe.Feature needs) {
        this.flags = flags;
        this.registerRingFd = registerRingFd;
        this.needs = needs;
    }

    /**
     * Skips the test, naming the feature and the kernel it needs, where this kernel lacks this
     * configuration or any of {@code features} the test exercises.
     */
    void assumeSupported(Probe.Feature... features) {
        Probe probe = Probe.current();
        assumeTrue(probe.unavailabilityCause() == null, () -> "io_uring unavailable: "
                + probe.unavailabilityCause().message());
        if (needs != null) {
            assumeTrue(probe.supports(needs), () -> probe.whyMissing(needs));
        }
        // Every wait in these tests has a deadline (Completions), which takes timed waits.
        assumeTrue(probe.supports(Probe.Feature.EXT_ARG), () -> probe.whyMissing(Probe.Feature.EXT_ARG));
        for (Probe.Feature feature : features) {
            assumeTrue(probe.supports(feature), () -> probe.whyMissing(feature));
        }
    }

    IoUringBuilder builder() {
        return IoUring.builder().flags(flags).registerRingFd(registerRingFd).sqThreadIdleMs(sqpoll() ? 50 : 0);
    }

    boolean sqpoll() {
        return (flags & IORING_SETUP_SQPOLL) != 0;
    }
}
