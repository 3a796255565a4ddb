package dev.uring4j.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request path made into a path relative to the served directory, or refused: the part after
 * the mount prefix is percent-decoded and read as UTF-8, and any path that could name something
 * other than a file under the directory is refused (the caller answers 404) rather than
 * normalised: a {@code .} or {@code ..} segment, an encoded {@code /} ({@code %2F}), a backslash
 * (raw or {@code %5C}), NUL or another control character, invalid percent-encoding or UTF-8. Empty
 * segments ({@code a//b}) are dropped. What passes is then opened with the kernel's own
 * confinement ({@code RESOLVE_BENEATH}), which also catches symbolic links leading out.
 */
final class StaticPath {
    private StaticPath() {}

    /**
     * The relative path {@code rawPath} names under {@code prefix}, {@code ""} for the directory
     * itself, or {@code null} when it is refused or outside the prefix.
     */
    static String relative(String rawPath, String prefix) {
        if (!rawPath.startsWith(prefix)) {
            return prefix.endsWith("/") && rawPath.length() == prefix.length() - 1 && prefix.startsWith(rawPath) ? "" : null;
        }
        String rest = rawPath.substring(prefix.length());
        byte[] bytes = new byte[rest.length()];
        int n = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '%') {
                int hi = i + 2 < rest.length() ? Character.digit(rest.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(rest.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return null;
                }
                int b = hi << 4 | lo;
                if (b == '/' || b == '\\' || b < 0x20 || b == 0x7F) {
                    return null;
                }
                bytes[n++] = (byte) b;
                i += 2;
            } else if (c == '\\' || c < 0x20 || c >= 0x7F) {
                return null; // the parser admits no raw non-ASCII in a target; refuse it here too
            } else {
                bytes[n++] = (byte) c;
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        StringBuilder out = new StringBuilder(decoded.length());
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }
}
