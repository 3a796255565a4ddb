package dev.uring4j.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a file by its extension: a built-in table of the types a web site
 * serves (text types with {@code charset=utf-8}), which {@link StaticFiles.Builder#mediaType} can
 * extend or override. Unknown extensions are {@code application/octet-stream}, so a browser
 * downloads rather than guesses. Immutable once built; any thread.
 */
final class MediaTypes {
    static final String DEFAULT = "application/octet-stream";

    private static final String[] BUILT_IN = {
            "html", "text/html; charset=utf-8", "htm", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "json", "application/json",
            "map", "application/json", "webmanifest", "application/manifest+json",
            "txt", "text/plain; charset=utf-8", "csv", "text/csv; charset=utf-8",
            "md", "text/markdown; charset=utf-8", "xml", "application/xml", "rss", "application/rss+xml",
            "atom", "application/atom+xml", "svg", "image/svg+xml", "png", "image/png",
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp",
            "avif", "image/avif", "ico", "image/x-icon", "bmp", "image/bmp",
            "woff", "font/woff", "woff2", "font/woff2", "ttf", "font/ttf", "otf", "font/otf",
            "wasm", "application/wasm", "pdf", "application/pdf", "zip", "application/zip",
            "gz", "application/gzip", "tar", "application/x-tar", "br", "application/x-brotli",
            "mp4", "video/mp4", "webm", "video/webm", "ogv", "video/ogg", "mp3", "audio/mpeg",
            "ogg", "audio/ogg", "oga", "audio/ogg", "wav", "audio/wav", "flac", "audio/flac",
            "m4a", "audio/mp4", "vtt", "text/vtt; charset=utf-8", "ics", "text/calendar; charset=utf-8",
            "bin", DEFAULT,
    };

    private final Map<String, String> byExtension;

    private MediaTypes(Map<String, String> byExtension) {
        this.byExtension = byExtension;
    }

    /** The built-in table with {@code overrides} (extension, lower case, without the dot, to type) on top. */
    static MediaTypes of(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < BUILT_IN.length; i += 2) {
            m.put(BUILT_IN[i], BUILT_IN[i + 1]);
        }
        m.putAll(overrides);
        return new MediaTypes(Map.copyOf(m));
    }

    /** The type of the file named {@code name} (its last path segment or the whole path). */
    String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) {
            return DEFAULT;
        }
        String type = byExtension.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? DEFAULT : type;
    }
}
