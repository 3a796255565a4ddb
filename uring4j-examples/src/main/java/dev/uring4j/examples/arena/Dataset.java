package dev.uring4j.examples.arena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items {@code GET /json} serves, read once at start from {@code dataset.json}: an array of
 * objects with {@code id}, {@code name}, {@code category}, {@code price}, {@code quantity},
 * {@code active}, {@code tags} (strings) and {@code rating} ({@code score}, {@code count}), every
 * number an integer. Strings are kept already escaped and quoted as UTF-8, as a serializer's
 * prepared names are: what is written per request is the structure and the numbers.
 */
final class Dataset {
    /** One item; {@code *Json} fields are JSON string literals, quotes included. */
    record Item(long id, byte[] nameJson, byte[] categoryJson, long price, long quantity, boolean active,
                byte[][] tagsJson, long ratingScore, long ratingCount) {
    }

    private Dataset() {
    }

    /** Reads and checks {@code file}; a failure names the file and what is wrong where. */
    static List<Item> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object root;
        try {
            Reader r = new Reader(text);
            root = r.value();
            r.end();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof List<?> array)) {
            throw new IOException(file + ": the dataset must be a JSON array of items");
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                items.add(item(array.get(i)));
            } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                throw new IOException(file + ": item " + i + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(items);
    }

    private static Item item(Object o) {
        Map<?, ?> m = (Map<?, ?>) o;
        Map<?, ?> rating = (Map<?, ?>) field(m, "rating");
        List<?> tags = (List<?>) field(m, "tags");
        byte[][] tagsJson = new byte[tags.size()][];
        for (int i = 0; i < tagsJson.length; i++) {
            tagsJson[i] = quote((String) tags.get(i));
        }
        return new Item((Long) field(m, "id"), quote((String) field(m, "name")), quote((String) field(m, "category")),
                (Long) field(m, "price"), (Long) field(m, "quantity"), (Boolean) field(m, "active"), tagsJson,
                (Long) field(rating, "score"), (Long) field(rating, "count"));
    }

    private static Object field(Map<?, ?> m, String name) {
        if (!m.containsKey(name)) {
            throw new IllegalArgumentException("no \"" + name + "\"");
        }
        return m.get(name);
    }

    /** {@code s} as a JSON string literal in UTF-8: quotes, and escapes for quote, backslash and controls. */
    static byte[] quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** JSON (RFC 8259) into maps, lists, strings, longs, booleans and null; integers only, as the dataset has. */
    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            if (at >= s.length()) {
                throw error("a value");
            }
            char c = s.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> word("true", Boolean.TRUE);
                case 'f' -> word("false", Boolean.FALSE);
                case 'n' -> word("null", null);
                default -> number();
            };
        }

        void end() {
            skip();
            if (at != s.length()) {
                throw error("the end of the document");
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            at++;
            skip();
            if (peek() == '}') {
                at++;
                return m;
            }
            while (true) {
                skip();
                if (peek() != '"') {
                    throw error("a member name");
                }
                String name = string();
                skip();
                expect(':');
                m.put(name, value());
                skip();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            at++;
            skip();
            if (peek() == ']') {
                at++;
                return l;
            }
            while (true) {
                l.add(value());
                skip();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() {
            at++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (at >= s.length()) {
                    throw error("the end of a string");
                }
                char c = s.charAt(at++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = at < s.length() ? s.charAt(at++) : 0;
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw error("four hex digits");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("four hex digits");
                        }
                        at += 4;
                    }
                    default -> throw error("an escape");
                }
            }
        }

        private Long number() {
            int start = at;
            if (peek() == '-') {
                at++;
            }
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (at < s.length() && (s.charAt(at) == '.' || s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
                throw error("an integer (the dataset's numbers are integers)");
            }
            try {
                return Long.parseLong(s.substring(start, at));
            } catch (NumberFormatException x) {
                at = start;
                throw error("a value");
            }
        }

        private Object word(String w, Object value) {
            if (!s.startsWith(w, at)) {
                throw error("a value");
            }
            at += w.length();
            return value;
        }

        private void skip() {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\n' || s.charAt(at) == '\r' || s.charAt(at) == '\t')) {
                at++;
            }
        }

        private char peek() {
            return at < s.length() ? s.charAt(at) : 0;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            at++;
        }

        private IllegalArgumentException error(String expected) {
            int line = 1;
            for (int i = 0; i < Math.min(at, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                }
            }
            return new IllegalArgumentException("expected " + expected + " at line " + line + " (offset " + at + ")");
        }
    }
}
