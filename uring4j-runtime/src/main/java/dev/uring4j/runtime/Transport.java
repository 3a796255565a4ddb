package dev.uring4j.runtime;

import java.util.Locale;

/**
 * The transport an {@link EventLoopGroup} runs on, and the choice that picks it: given to
 * {@link EventLoopGroup.Builder#transport} (or a server's, client's or endpoint's builder), or, for
 * {@link #AUTO}, by the system property {@code -During4j.transport=auto|uring|nio}. See
 * {@link TransportSelection} for what each resolves to and docs/FALLBACK.md for the log lines.
 * A running loop reports {@link #IO_URING} or {@link #NIO}, never {@link #AUTO}.
 */
public enum Transport {
    /**
     * io_uring where it can run here, else NIO with one WARN naming why. The default; the
     * {@value #PROPERTY} system property, when set, decides instead.
     */
    AUTO,
    /** io_uring or nothing: building the group fails, naming why io_uring cannot run here. */
    IO_URING,
    /** JDK NIO (epoll), even where io_uring could run; io_uring is not touched at all. */
    NIO;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** {@code "auto"}, {@code "io_uring"} or {@code "nio"}: the spelling of logs and of {@link #PROPERTY}. */
    @Override
    public String toString() {
        return label;
    }

    /** The system property that decides for {@link #AUTO}: {@code auto}, {@code uring} (or {@code io_uring}), {@code nio}. */
    public static final String PROPERTY = "uring4j.transport";

    /**
     * Parses {@code auto}, {@code uring} or {@code io_uring}, {@code nio}, in any case (the
     * spellings of the property and of the command line's {@code --transport}).
     *
     * @param value the spelling to parse; surrounding blanks are ignored
     * @return the transport it names
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Transport parse(String value) {
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
     * @return the transport the property names, or {@link #AUTO} when it is unset or blank
     * @throws IllegalArgumentException naming the property when its value is not a transport
     */
    public static Transport fromProperty() {
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
