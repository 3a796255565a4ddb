package dev.uring4j.http;

/**
 * Header or trailer fields of a request: a view of the receive buffer, looked up by name in place.
 * Only the methods that return {@code String} allocate.
 *
 * <p>Fields keep their order and repetitions; names compare case-insensitively; values are
 * ISO-8859-1 octets without leading and trailing whitespace. A view is valid only during the
 * callback that received it ({@link HttpHandler#handle}, {@link HttpBodyListener#onEnd}); after
 * that every method throws {@link IllegalStateException}.
 */
public interface HttpHeaders {
    /** The number of field lines. */
    int size();

    /** The index of the first field named {@code name} (any case), or -1. Does not allocate. */
    int indexOf(CharSequence name);

    /** Whether field {@code index} is named {@code name} (any case). Does not allocate. */
    boolean nameEquals(int index, CharSequence name);

    /** Whether field {@code index}'s value is exactly {@code value}. Does not allocate. */
    boolean valueEquals(int index, CharSequence value);

    /** Whether field {@code index}'s value equals {@code value} ignoring ASCII case. Does not allocate. */
    boolean valueEqualsIgnoreCase(int index, CharSequence value);

    /** The length in octets of field {@code index}'s value. */
    int valueLength(int index);

    /** Copies field {@code index}'s value into {@code destination}; returns its length. Does not allocate. */
    int copyValue(int index, byte[] destination, int destinationOffset);

    /** The name of field {@code index} as sent. Allocates. */
    String name(int index);

    /** The value of field {@code index}. Allocates. */
    String value(int index);

    /** The value of the first field named {@code name}, or {@code null}. Allocates when found. */
    default String get(CharSequence name) {
        int index = indexOf(name);
        return index < 0 ? null : value(index);
    }

    /** Whether a field named {@code name} is present. Does not allocate. */
    default boolean contains(CharSequence name) {
        return indexOf(name) >= 0;
    }
}
