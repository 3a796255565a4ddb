package dev.uring4j.http;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.FileStat;
import dev.uring4j.runtime.LoopFile;

/**
 * One request of {@link StaticFiles}, on its loop: finds the file (each acceptable coding's sibling
 * in turn, a directory's index file), answers from its validators (304, 416) or sends it. A body of
 * at least {@link StaticFiles.Builder#sendFileThreshold} octets, in a response that goes straight
 * to the connection, is handed to it as a file region, which it sends from the file. Otherwise sending
 * reads one buffer at a time and writes it to the response; when the response stops taking output
 * it waits for {@link HttpResponse#onWritable} before the next read, so what a slow client has not
 * read yet is bounded by the connection's output limit plus one buffer. The object is the read
 * callback and the writability task itself, so a chunk costs no allocation.
 */
final class FileResponse implements LoopFile.ReadCallback, Runnable {
    private static final HttpHeader ACCEPT_RANGES = HttpHeader.of("Accept-Ranges", "bytes");
    private static final HttpHeader VARY = HttpHeader.of("Vary", "Accept-Encoding");
    /** What a HEAD response "writes": the engine discards it without reading it. */

    private final StaticFiles files;
    private final StaticFiles.LoopState state;
    final HttpResponse response;
    private final boolean head;
    /** The requested path, relative to the directory (then its index file's path). */
    final String requested;
    private String relative;
    final int[] codings;
    private final String ifNoneMatch;
    private final String ifModifiedSince;
    private final String range;
    private final String ifRange;

    private LoopFile dir;
    private int next;
    private int coding;
    private boolean indexTried;
    private LoopFile file;
    /** A kept copy found stale: if the disk still has the same file, it is served again. */
    FileCache.Entry revalidating;

    // streaming
    private MemorySegment buffer;
    private long position;
    private long remaining;
    // reading a small file whole, for the cache
    private MemorySegment whole;
    private Representation filling;

    FileResponse(StaticFiles files, StaticFiles.LoopState state, HttpResponse response, boolean head, String relative,
                 int[] codings, String ifNoneMatch, String ifModifiedSince, String range, String ifRange) {
        this.files = files;
        this.state = state;
        this.response = response;
        this.head = head;
        this.requested = relative;
        this.relative = relative;
        this.codings = codings;
        this.ifNoneMatch = ifNoneMatch;
        this.ifModifiedSince = ifModifiedSince;
        this.range = range;
        this.ifRange = ifRange;
    }

    /** What is sent for one file: the headers' facts. */
    record Representation(String contentType, int coding, long size, String etag, String lastModified, long modifiedSecond) {
        static Representation of(String contentType, int coding, FileStat stat) {
            return new Representation(contentType, coding, stat.size(), Validators.etag(stat),
                    Validators.httpDate(stat.modifiedSeconds()), stat.modifiedSeconds());
        }
    }

    /** Looks for the file beneath {@code directory}. */
    void start(LoopFile directory) {
        dir = directory;
        if (relative.isEmpty()) {
            if (files.indexFile == null) {
                StaticFiles.notFound(response);
                return;
            }
            relative = files.indexFile;
            indexTried = true;
        }
        tryNext();
    }

    /** Opens the sibling of the next acceptable coding; past the last, 404. */
    private void tryNext() {
        if (next >= codings.length) {
            StaticFiles.notFound(response);
            return;
        }
        coding = codings[next++];
        dir.openBeneath(relative + ContentCodings.suffix(coding), this::opened);
    }

    private void opened(LoopFile f, IOException error) {
        if (error != null) {
            if (coding != ContentCodings.IDENTITY || isMissing(error)) {
                tryNext();
            } else {
                fail(error);
            }
            return;
        }
        file = f;
        f.stat(this::statted);
    }

    private void statted(FileStat stat, IOException error) {
        if (error != null) {
            closeFile();
            fail(error);
            return;
        }
        if (!stat.isRegularFile()) {
            closeFile();
            if (stat.isDirectory() && coding == ContentCodings.IDENTITY && files.indexFile != null && !indexTried) {
                indexTried = true;
                relative = relative + "/" + files.indexFile;
                next = 0;
            }
            tryNext();
            return;
        }
        Representation rep = Representation.of(files.mediaTypes.typeOf(relative), coding, stat);
        FileCache cache = files.cache;
        if (revalidating != null && revalidating.representation.etag().equals(rep.etag())) {
            closeFile();
            cache.revalidated(revalidating);
            respondFromMemory(revalidating.representation, revalidating.body);
            return;
        }
        if (revalidating != null) {
            cache.remove(this);
        }
        if (cache != null && cache.wants(rep.size())) {
            filling = rep;
            whole = Arena.ofAuto().allocate(Math.max(1, rep.size()));
            position = 0;
            remaining = rep.size();
            fillNext();
        } else {
            respondFromFile(rep);
        }
    }

    /** Whether an open failed because there is no such file beneath the directory to serve. */
    private static boolean isMissing(IOException e) {
        if (!(e instanceof ErrnoException x)) {
            return false;
        }
        int errno = x.errno();
        return errno == Errno.ENOENT || errno == Errno.ENOTDIR || errno == Errno.EXDEV || errno == Errno.ELOOP
                || errno == Errno.EACCES || errno == Errno.EISDIR || errno == Errno.ENAMETOOLONG || errno == Errno.EINVAL;
    }

    private void fail(IOException error) {
        System.getLogger("dev.uring4j.http").log(System.Logger.Level.WARNING, "StaticFiles: " + error.getMessage());
        StaticFiles.serverError(response);
    }

    // ---- the answer

    /**
     * Answers from the validators and the range, sending the head; returns the range whose bytes
     * follow, or {@code null} when the answer is complete (304, 416).
     */
    private ByteRange answer(Representation rep) {
        if (ifNoneMatch != null ? Validators.noneMatchHits(ifNoneMatch, rep.etag())
                : ifModifiedSince != null && Validators.notModifiedSince(ifModifiedSince, rep.modifiedSecond())) {
            validators(response.status(304), rep).send();
            return null;
        }
        ByteRange r = ByteRange.WHOLE;
        if (range != null && (ifRange == null || Validators.ifRangeHolds(ifRange, rep.etag(), rep.modifiedSecond()))) {
            r = ByteRange.parse(range, rep.size());
        }
        if (r == ByteRange.UNSATISFIABLE) {
            response.status(416).header("Content-Range", "bytes */" + rep.size()).header(ACCEPT_RANGES);
            response.send();
            return null;
        }
        representation(r == ByteRange.WHOLE ? response : response.status(206)
                .header("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + rep.size()), rep);
        return r == ByteRange.WHOLE ? new ByteRange(0, rep.size() - 1) : r;
    }

    private HttpResponse validators(HttpResponse to, Representation rep) {
        to.header("ETag", rep.etag()).header("Last-Modified", rep.lastModified());
        return files.precompressed ? to.header(VARY) : to;
    }

    private void representation(HttpResponse to, Representation rep) {
        to.header("Content-Type", rep.contentType());
        if (rep.coding() != ContentCodings.IDENTITY) {
            to.header("Content-Encoding", ContentCodings.token(rep.coding()));
        }
        validators(to, rep).header(ACCEPT_RANGES);
    }

    /** Answers with a copy held in memory (the cache's, or a small file just read whole). */
    void respondFromMemory(Representation rep, MemorySegment body) {
        ByteRange r = answer(rep);
        if (r != null) {
            response.send(body, r.first(), r.length());
        }
    }

    private void respondFromFile(Representation rep) {
        ByteRange r = answer(rep);
        if (r == null || r.length() == 0) {
            if (r != null) {
                response.send();
            }
            closeFile();
            return;
        }
        response.start(r.length());
        if (head) {
            response.end();
            closeFile();
            return;
        }
        if (r.length() >= files.sendFileThreshold && response.writeFile(file, r.first(), r.length())) {
            // The connection sends it from the file and holds the file open until it is sent: the
            // close waits for that.
            closeFile();
            response.end();
            return;
        }
        position = r.first();
        remaining = r.length();
        buffer = state.takeBuffer();
        run();
    }

    // ---- streaming a file

    /** Reads the next chunk: at the start, and whenever the response takes more output. */
    @Override
    public void run() {
        if (clientGone()) {
            finish();
            return;
        }
        // The whole buffer except for the last chunk of the range, so a chunk makes no slice.
        file.read(remaining < buffer.byteSize() ? buffer.asSlice(0, remaining) : buffer, position, this);
    }

    @Override
    public void complete(int bytes, IOException error) {
        if (filling != null) {
            filled(bytes, error);
            return;
        }
        if (error != null || bytes == 0) {
            abandon(error != null ? error.getMessage() : "the file ended " + remaining + " bytes early");
            return;
        }
        state.bytesRead += bytes;
        if (clientGone()) {
            finish();
            return;
        }
        position += bytes;
        remaining -= bytes;
        boolean more = response.write(buffer, 0, bytes);
        if (remaining == 0) {
            finish();
            response.end();
        } else if (more) {
            run();
        } else {
            response.onWritable(this);
        }
    }

    /** The client is gone: nothing more is worth reading. */
    private boolean clientGone() {
        return response.exchange().connection.isClosed();
    }

    /** A read failed after the head was sent: the only honest end is to close the connection. */
    private void abandon(String why) {
        System.getLogger("dev.uring4j.http").log(System.Logger.Level.WARNING, "StaticFiles: reading " + file.path()
                + " failed mid-response (" + why + "); closing the connection");
        finish();
        try {
            response.end();
        } catch (IllegalStateException shortBody) {
            // Expected: the body is short, and the engine closes the connection for it.
        }
    }

    private void finish() {
        if (buffer != null) {
            state.giveBack(buffer);
            buffer = null;
        }
        closeFile();
    }

    private void closeFile() {
        if (file != null) {
            file.close();
            file = null;
        }
    }

    // ---- reading a small file whole, for the cache

    private void fillNext() {
        if (remaining == 0) {
            closeFile();
            Representation rep = filling;
            filling = null;
            files.cache.put(this, rep, whole);
            respondFromMemory(rep, whole);
            return;
        }
        file.read(whole.asSlice(position, remaining), position, this);
    }

    private void filled(int bytes, IOException error) {
        if (error != null || bytes == 0) {
            IOException e = error != null ? error : new IOException(file.path() + " ended " + remaining + " bytes early");
            closeFile();
            fail(e);
            return;
        }
        state.bytesRead += bytes;
        position += bytes;
        remaining -= bytes;
        fillNext();
    }
}
