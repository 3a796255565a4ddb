package dev.uring4j.ring;

/**
 * A ring's NAPI busy-poll settings, as {@code struct io_uring_napi} carries them: what
 * {@link IoUring#registerNapi} and {@link IoUring#unregisterNapi} report was in force before the
 * call.
 *
 * <p>With busy polling on, a thread waiting in {@code io_uring_enter} polls the network device
 * queues (NAPI instances) of the sockets its ring has used for up to {@code busyPollUsec}
 * before it sleeps, trading CPU for the latency of an interrupt and a wake-up. A ring starts with
 * the system's {@code net.core.busy_poll} as its timeout and polling off until registered.
 *
 * @param busyPollUsec   how long a wait busy-polls, in microseconds ({@code busy_poll_to})
 * @param preferBusyPoll whether the device's interrupts stay masked while the ring polls
 *                       ({@code prefer_busy_poll}, {@code SO_PREFER_BUSY_POLL})
 */
public record NapiSettings(int busyPollUsec, boolean preferBusyPoll) {}
