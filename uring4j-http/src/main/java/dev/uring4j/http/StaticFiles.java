package dev.uring4j.http;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.LoopFile;

/**
 * Serves the files of a directory, reading them on the event loop through io_uring
 * ({@link LoopFile}: {@code openat2}, {@code statx} and {@code read} on the loop's ring; a small
 * thread pool where the ring lacks them and on the NIO transport) into pooled native buffers, and
 * writing them at the client's pace: a read waits until the response takes more output
 * ({@link HttpResponse#onWritable}), so a large file streams to a slow reader in constant memory.
 *
 * <pre>{@code
 * StaticFiles files = StaticFiles.builder(Path.of("/srv/www")).urlPrefix("/static/").indexFile("index.html")
 *         .cache(64 * 1024, 16 << 20, Duration.ofSeconds(1)).build();
 * Router router = Router.builder().get("/static/*", files).build();
 * }</pre>
 *
 * <ul>
 * <li><b>Methods</b>: {@code GET} and {@code HEAD}; any other gets {@code 405} with {@code Allow}.
 * <li><b>Paths</b> never leave the directory: {@code .} and {@code ..} segments, encoded slashes and
 *     backslashes, NUL and control characters are refused, and the file is opened with
 *     {@code RESOLVE_BENEATH}, so a symbolic link leading outside is refused too (without
 *     {@code openat2}, by comparing real paths). Refusals are {@code 404}, as are missing files,
 *     directories (never listed; their {@link Builder#indexFile index file} if one is set) and
 *     anything that is not a regular file.
 * <li><b>Headers</b>: {@code Content-Type} by extension (a built-in table, extended with
 *     {@link Builder#mediaType}), a strong {@code ETag} made of size, modification time and inode,
 *     {@code Last-Modified}, {@code Accept-Ranges: bytes}.
 * <li><b>Conditional requests</b>: {@code If-None-Match} (a list, weak comparison, {@code *}) and,
 *     without it, {@code If-Modified-Since} answer {@code 304}.
 * <li><b>Ranges</b>: one range of a {@code GET} ({@code bytes=a-b}, {@code a-}, {@code -n}) gets
 *     {@code 206} with {@code Content-Range}; a range past the end {@code 416} with
 *     {@code Content-Range: bytes *}{@code /size}; <em>several ranges are answered with the whole
 *     file ({@code 200})</em>, as RFC 9110 allows, rather than a {@code multipart/byteranges} body;
 *     {@code If-Range} that does not match also gets the whole file.
 * <li><b>Precompressed siblings</b>: for {@code a.js}, {@code a.js.br} or {@code a.js.gz} when the
 *     client's {@code Accept-Encoding} prefers it (q-values, {@code *}, {@code identity};
 *     {@code q=0} refuses), with {@code Content-Encoding} and {@code Vary: Accept-Encoding}; a range
 *     of such a response counts bytes of the compressed file, as nginx does.
 * <li><b>Cache</b> (off unless {@link Builder#cache set}): files up to a size kept in memory, up to
 *     a total, each checked against the disk ({@code statx}) at most once per interval.
 * </ul>
 *
 * <p><b>Threads.</b> One instance may serve every loop of a server; it must be called on the event
 * loop (do not wrap it in {@link BlockingHandler}). Each loop keeps its own directory descriptor
 * and buffers, made on its first request.
 */
public final class StaticFiles implements HttpHandler {
    private static final HttpHeader ALLOW = HttpHeader.of("Allow", "GET, HEAD");
    private static final HttpHeader TEXT_PLAIN = HttpHeader.of("Content-Type", "text/plain; charset=us-ascii");
    private static final byte[] NOT_FOUND = Ascii.bytes("404 Not Found\n");
    private static final byte[] METHOD_NOT_ALLOWED = Ascii.bytes("405 Method Not Allowed\n");
    private static final byte[] SERVER_ERROR = Ascii.bytes("500 Internal Server Error\n");
    /** Idle buffers a loop keeps for the next responses; more are made on demand and dropped after. */
    private static final int KEPT_BUFFERS = 64;
    /**
     * One read buffer's worth: a body that fits one read costs one copy, and the two operations of
     * a splice, which the kernel runs on its workers, save little against it.
     */
    static final long DEFAULT_SEND_FILE_THRESHOLD = 64 * 1024;

    final Path root;
    final String prefix;
    final String indexFile;
    final int bufferSize;
    final long sendFileThreshold;
    final boolean precompressed;
    final MediaTypes mediaTypes;
    final FileCache cache;
    private final ThreadLocal<LoopState> perLoop = new ThreadLocal<>();
    /** Every loop's state, for tests to read (on each state's loop). */
    final java.util.Queue<LoopState> states = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private StaticFiles(Builder b) {
        this.root = b.root;
        this.prefix = b.prefix;
        this.indexFile = b.indexFile;
        this.bufferSize = b.bufferSize;
        this.sendFileThreshold = b.sendFileThreshold;
        this.precompressed = b.precompressed;
        this.mediaTypes = MediaTypes.of(b.mediaTypes);
        this.cache = b.cacheFileBytes > 0 ? new FileCache(b.cacheFileBytes, b.cacheTotalBytes, b.cacheRevalidate.toNanos()) : null;
    }

    /**
     * A builder serving {@code root}.
     *
     * @param root the directory whose files are served
     * @return a new builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) {
        String method = request.method();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            response.status(405).header(ALLOW).header(TEXT_PLAIN).send(METHOD_NOT_ALLOWED);
            return;
        }
        String relative = StaticPath.relative(request.path(), prefix);
        if (relative == null) {
            notFound(response);
            return;
        }
        LoopState state = state();
        HttpHeaders h = request.headers();
        FileResponse r = new FileResponse(this, state, response, head, relative,
                precompressed ? ContentCodings.order(joined(h, "Accept-Encoding")) : IDENTITY,
                joined(h, "If-None-Match"), h.get("If-Modified-Since"), head ? null : h.get("Range"), h.get("If-Range"));
        if (cache == null || !cache.serve(r)) {
            state.withRoot(r);
        }
    }

    private static final int[] IDENTITY = {ContentCodings.IDENTITY};

    /** Every field line named {@code name}, joined by commas as RFC 9110 lets lists be; {@code null} if none. */
    private static String joined(HttpHeaders h, String name) {
        String first = null;
        StringBuilder more = null;
        for (int i = 0; i < h.size(); i++) {
            if (h.nameEquals(i, name)) {
                if (first == null) {
                    first = h.value(i);
                } else {
                    more = (more == null ? new StringBuilder(first) : more).append(',').append(h.value(i));
                }
            }
        }
        return more == null ? first : more.toString();
    }

    static void notFound(HttpResponse response) {
        response.status(404).header(TEXT_PLAIN).send(NOT_FOUND);
    }

    static void serverError(HttpResponse response) {
        response.status(500).header(TEXT_PLAIN).send(SERVER_ERROR);
    }

    private LoopState state() {
        LoopState s = perLoop.get();
        if (s == null) {
            EventLoop loop = EventLoop.current();
            if (loop == null) {
                throw new IllegalStateException("StaticFiles runs on the event loop; do not wrap it in BlockingHandler");
            }
            s = new LoopState(loop);
            perLoop.set(s);
            states.add(s);
        }
        return s;
    }

    /** What one loop keeps: its descriptor of the directory and its idle buffers. Loop thread only. */
    final class LoopState {
        final EventLoop loop;
        private LoopFile rootDir;
        /** Responses waiting for the directory to open; {@code null} when no open is in progress. */
        private List<FileResponse> waiting;
        private final ArrayDeque<MemorySegment> buffers = new ArrayDeque<>();
        /** Whether the directory's absence was logged: once until it opens, not per request. */
        private boolean failureLogged;
        /** Buffers handed out and not yet returned (tests watch it). */
        int buffersInUse;
        /** Bytes read from files on this loop (tests watch it). */
        long bytesRead;

        LoopState(EventLoop loop) {
            this.loop = loop;
        }

        /** Runs {@code r} once the directory is open; a directory that cannot be opened answers 404. */
        void withRoot(FileResponse r) {
            if (rootDir != null) {
                r.start(rootDir);
                return;
            }
            if (waiting != null) {
                waiting.add(r);
                return;
            }
            waiting = new ArrayList<>();
            waiting.add(r);
            LoopFile.open(loop, root, this::rootOpened);
        }

        private void rootOpened(LoopFile dir, IOException error) {
            List<FileResponse> ready = waiting;
            waiting = null;
            if (error != null) {
                // Tried again with the next request: the directory may appear later.
                if (!failureLogged) {
                    failureLogged = true;
                    System.getLogger("dev.uring4j.http").log(System.Logger.Level.WARNING,
                            "StaticFiles cannot open its directory; answering 404 until it can: " + error.getMessage());
                }
                for (FileResponse r : ready) {
                    notFound(r.response);
                }
                return;
            }
            rootDir = dir;
            failureLogged = false;
            for (FileResponse r : ready) {
                r.start(dir);
            }
        }

        MemorySegment takeBuffer() {
            buffersInUse++;
            MemorySegment b = buffers.pollFirst();
            // An automatic arena: a buffer dropped past KEPT_BUFFERS, or with its loop, is freed by
            // the GC once no read of it is in flight (the read's callback holds it until then).
            return b != null ? b : Arena.ofAuto().allocate(bufferSize, 4096);
        }

        void giveBack(MemorySegment buffer) {
            buffersInUse--;
            if (buffers.size() < KEPT_BUFFERS) {
                buffers.addFirst(buffer);
            }
        }
    }

    /** Configures a {@link StaticFiles}. */
    public static final class Builder {
        private final Path root;
        private String prefix = "/";
        private String indexFile;
        private int bufferSize = 64 * 1024;
        private long sendFileThreshold = DEFAULT_SEND_FILE_THRESHOLD;
        private boolean precompressed = true;
        private final Map<String, String> mediaTypes = new HashMap<>();
        private int cacheFileBytes;
        private long cacheTotalBytes;
        private Duration cacheRevalidate = Duration.ofSeconds(1);

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * The request-path prefix the directory is served under, removed before the rest names a
         * file: {@code "/static/"} serves {@code /static/a.css} from {@code root/a.css}. Default
         * {@code "/"}.
         *
         * @param prefix a path starting and ending with {@code /}, as sent (undecoded)
         * @return this builder
         */
        public Builder urlPrefix(String prefix) {
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw new IllegalArgumentException("the prefix must start and end with '/': " + prefix);
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * The file served for a directory ({@code "index.html"}); without one, a directory is 404.
         *
         * @param name a file name, without {@code /}
         * @return this builder
         */
        public Builder indexFile(String name) {
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("an index file is a plain file name: " + name);
            }
            this.indexFile = name;
            return this;
        }

        /**
         * The size of the buffers files are read into, one per response being sent (default 64 KiB).
         *
         * @param bytes 4 KiB to 16 MiB
         * @return this builder
         */
        public Builder bufferSize(int bytes) {
            if (bytes < 4096 || bytes > 16 << 20) {
                throw new IllegalArgumentException("buffer size must be 4 KiB to 16 MiB; was " + bytes);
            }
            this.bufferSize = bytes;
            return this;
        }

        /**
         * Bodies of at least this many octets are sent from the file by the connection
         * ({@link dev.uring4j.runtime.Connection#writeFile}: on io_uring without TLS, spliced from
         * the file through a pipe to the socket, never copied through user memory); smaller ones
         * are read into a buffer and written, or served from the cache. A response queued behind an
         * unfinished earlier one on the same connection (pipelining) is always read and written.
         * Default 64 KiB; {@code Long.MAX_VALUE} reads every file.
         *
         * @param bytes the smallest body sent from the file, at least 1
         * @return this builder
         */
        public Builder sendFileThreshold(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("the threshold is at least 1 byte; was " + bytes);
            }
            this.sendFileThreshold = bytes;
            return this;
        }

        /**
         * Whether {@code .br} and {@code .gz} siblings are served to clients that accept them
         * (default on).
         *
         * @param on whether to look for them
         * @return this builder
         */
        public Builder precompressed(boolean on) {
            this.precompressed = on;
            return this;
        }

        /**
         * Adds or replaces the type of an extension.
         *
         * @param extension the extension without the dot, any case ({@code "avif"})
         * @param type      the {@code Content-Type} value
         * @return this builder
         */
        public Builder mediaType(String extension, String type) {
            HttpHeader.of("Content-Type", type); // checks the value
            mediaTypes.put(extension.toLowerCase(Locale.ROOT), type);
            return this;
        }

        /**
         * Keeps small files in memory: those of at most {@code maxFileBytes}, up to
         * {@code maxTotalBytes} in all, each checked against the disk at most once per
         * {@code revalidateEvery} (a changed file is read again). Off by default.
         *
         * @param maxFileBytes    the largest file kept; 0 turns the cache off
         * @param maxTotalBytes   the most kept in all
         * @param revalidateEvery how long a kept file is served without looking at the disk
         * @return this builder
         */
        public Builder cache(int maxFileBytes, long maxTotalBytes, Duration revalidateEvery) {
            if (maxFileBytes < 0 || maxTotalBytes < maxFileBytes || revalidateEvery.isNegative()) {
                throw new IllegalArgumentException("cache: need 0 <= maxFileBytes <= maxTotalBytes and a revalidation interval >= 0");
            }
            this.cacheFileBytes = maxFileBytes;
            this.cacheTotalBytes = maxTotalBytes;
            this.cacheRevalidate = revalidateEvery;
            return this;
        }

        /**
         * The handler.
         *
         * @return a new {@link StaticFiles}
         */
        public StaticFiles build() {
            return new StaticFiles(this);
        }
    }
}
