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
    /**
     * The number of field lines.
     *
     * @return how many fields there are, repetitions counted
     */
    int size();

    /**
     * Finds a field by name. Does not allocate.
     *
     * @param name the field name, in any case
     * @return the index of the first field with that name, or -1
     */
    int indexOf(CharSequence name);

    /**
     * Compares a field's name. Does not allocate.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @param name the name to compare with, in any case
     * @return whether the field is named {@code name}, ignoring ASCII case
     */
    boolean nameEquals(int index, CharSequence name);

    /**
     * Compares a field's value exactly. Does not allocate.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @param value the value to compare with
     * @return whether the field's value is exactly {@code value}
     */
    boolean valueEquals(int index, CharSequence value);

    /**
     * Compares a field's value, ignoring ASCII case. Does not allocate.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @param value the value to compare with
     * @return whether the field's value equals {@code value} ignoring ASCII case
     */
    boolean valueEqualsIgnoreCase(int index, CharSequence value);

    /**
     * The length of a field's value.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @return the value's length in octets
     */
    int valueLength(int index);

    /**
     * Copies a field's value out of the receive buffer. Does not allocate.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @param destination where to copy the octets; must have room for {@link #valueLength}
     * @param destinationOffset where in {@code destination} the value starts
     * @return the value's length in octets
     */
    int copyValue(int index, byte[] destination, int destinationOffset);

    /**
     * A field's name. Allocates.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @return the name as sent
     */
    String name(int index);

    /**
     * A field's value. Allocates.
     *
     * @param index the field, from 0 to {@link #size()} - 1
     * @return the value, ISO-8859-1 decoded
     */
    String value(int index);

    /**
     * The value of a field looked up by name. Allocates when found.
     *
     * @param name the field name, in any case
     * @return the value of the first field with that name, or {@code null}
     */
    default String get(CharSequence name) {
        int index = indexOf(name);
        return index < 0 ? null : value(index);
    }

    /**
     * Whether a field is present. Does not allocate.
     *
     * @param name the field name, in any case
     * @return whether any field has that name
     */
    default boolean contains(CharSequence name) {
        return indexOf(name) >= 0;
    }
}
