package dev.uring4j.runtime;

import java.util.Locale;

/**
 * Which transport an {@link EventLoopGroup} should run on: given to
 * {@link EventLoopGroup.Builder#transport} or {@link TcpServer.Builder#transport}, or, for
 * {@link #AUTO}, by the system property {@code -During4j.transport=auto|uring|nio}. See
 * {@link TransportSelection} for what each resolves to and docs/FALLBACK.md for the log lines.
 */
public enum TransportChoice {
    /**
     * io_uring where it can run here, else NIO with one WARN naming why. The default; the
     * {@value #PROPERTY} system property, when set, decides instead.
     */
    AUTO,
    /** io_uring or nothing: building the group fails, naming why io_uring cannot run here. */
    IO_URING,
    /** JDK NIO (epoll), even where io_uring could run; io_uring is not touched at all. */
    NIO;

    /** The system property that decides for {@link #AUTO}: {@code auto}, {@code uring} (or {@code io_uring}), {@code nio}. */
    public static final String PROPERTY = "uring4j.transport";

    /**
     * Parses {@code auto}, {@code uring} or {@code io_uring}, {@code nio}, in any case (the
     * spellings of the property and of the command line's {@code --transport}).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TransportChoice parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "uring", "io_uring", "io-uring" -> IO_URING;
            case "nio", "epoll" -> NIO;
            default -> throw new IllegalArgumentException("unknown transport '" + value
                    + "'; one of auto, uring (or io_uring), nio");
        };
    }

    /**
     * The choice of {@code -During4j.transport}, or {@link #AUTO} when it is not set.
     *
     * @throws IllegalArgumentException naming the property when its value is not a transport
     */
    public static TransportChoice fromProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + ": " + e.getMessage(), e);
        }
    }
}
