package dev.uring4j.ring;

/**
 * Receives completions from {@link IoUring#forEachCqe}: the three fields of a
 * {@code struct io_uring_cqe}, read in place from the CQ ring, so that draining allocates nothing.
 *
 * <p>Called on the thread draining the ring. The handler may prepare new SQEs; it must not drain
 * the same ring re-entrantly.
 */
@FunctionalInterface
public interface CqeHandler {
    /**
     * Receives one completion.
     *
     * @param userData the SQE's {@code user_data}
     * @param res      the result: a count or value on success, {@code -errno} on failure
     * @param flags    {@code IORING_CQE_F_*}, decoded with {@link Cqe}
     */
    void handle(long userData, int res, int flags);
}
