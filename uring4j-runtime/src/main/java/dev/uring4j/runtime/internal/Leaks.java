package dev.uring4j.runtime.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.uring4j.runtime.LeakDetection;

/**
 * One loop's record of what it holds, kept only with leak detection on
 * ({@link LeakDetection#PROPERTY}): each native block, reference to a shared buffer, provided
 * buffer, descriptor and operation in flight, with where it was acquired. Everything is given back by the time the loop has freed
 * its resources; what is not is a leak, reported then with its acquisition site. Giving back what
 * is not held (a double release) is reported too. Mostly used on the loop's thread; synchronized
 * for the few acquisitions and releases made elsewhere (a listener closed by its server).
 */
public final class Leaks {

    /** What is held. */
    public enum Kind {
        NATIVE_BLOCK("native block"),
        SHARED_REFERENCE("reference to a shared buffer"),
        FILE_REGION("region of an open file queued to send"),
        PROVIDED_BUFFER("provided buffer"),
        DESCRIPTOR("descriptor"),
        OPERATION("operation in flight");

        private final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    private record Key(Kind kind, Object id) {
    }

    /** One holding: what it is, how many times it is held (an operation's user_data may repeat), and where. */
    private static final class Held {
        final String what;
        final Throwable site;
        int count = 1;

        Held(String what, Throwable site) {
            this.what = what;
            this.site = site;
        }
    }

    private static final List<String> REPORTED = new ArrayList<>();

    private final String loop;
    private final Map<Key, Held> held = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Leaks(String loop) {
        this.loop = loop;
    }

    /** A record for the loop named {@code loop}, or {@code null} when leak detection is off (read when each loop starts). */
    public static Leaks forLoop(String loop) {
        return LeakDetection.enabled() ? new Leaks(loop) : null;
    }

    /**
     * {@code id} of {@code kind} is now held, acquired here. Blocks and descriptors are keyed by
     * their owner object (identity), buffers and operations by a number.
     */
    public void acquired(Kind kind, Object id, String what) {
        acquired(kind, id, what, new Throwable(kind.words + " acquired here"));
    }

    /** As {@link #acquired(Kind, Object, String)}, acquired where {@code site} was made. */
    public synchronized void acquired(Kind kind, Object id, String what, Throwable site) {
        Key key = new Key(kind, id);
        Held h = held.get(key);
        if (h != null) {
            h.count++;
            return;
        }
        held.put(key, new Held(what, site));
    }

    /** {@code id} of {@code kind} is given back; giving back what is not held is a problem reported now. */
    public synchronized void released(Kind kind, Object id) {
        Key key = new Key(kind, id);
        Held h = held.get(key);
        if (h == null) {
            Throwable site = new Throwable("released here");
            problems.add(loop + ": " + kind.words + " " + name(kind, id) + " given back but not held\n" + trace(site));
            return;
        }
        if (--h.count == 0) {
            held.remove(key);
        }
    }

    /** How a problem names what was not held: an operation by its user_data, as the kernel shows it. */
    private static String name(Kind kind, Object id) {
        return kind == Kind.OPERATION && id instanceof Long ud ? "with user_data 0x" + Long.toHexString(ud) : String.valueOf(id);
    }

    /**
     * The loop has freed its resources: whatever is still held leaked. Reports each leak, with
     * where it was acquired, and each double release: logged, and kept for {@link #takeReported()}.
     */
    public synchronized void loopClosed() {
        for (Map.Entry<Key, Held> e : held.entrySet()) {
            Held h = e.getValue();
            problems.add(loop + ": " + e.getKey().kind().words + " not given back: " + h.what
                    + (h.count > 1 ? " (x" + h.count + ")" : "") + "\n" + trace(h.site));
        }
        held.clear();
        for (String p : problems) {
            TransportLoop.LOG.log(System.Logger.Level.ERROR, "uring4j leak detection: " + p);
            synchronized (REPORTED) {
                REPORTED.add(p);
            }
        }
        problems.clear();
    }

    /** The problems every loop reported since the last call ({@link LeakDetection#takeReported()}). */
    public static List<String> takeReported() {
        synchronized (REPORTED) {
            List<String> copy = List.copyOf(REPORTED);
            REPORTED.clear();
            return copy;
        }
    }

    private static String trace(Throwable site) {
        StringBuilder b = new StringBuilder("  ").append(site.getMessage()).append(':');
        StackTraceElement[] frames = site.getStackTrace();
        // Skip this class's own frames: the site is its caller.
        int first = 0;
        while (first < frames.length && frames[first].getClassName().equals(Leaks.class.getName())) {
            first++;
        }
        for (int i = first; i < Math.min(frames.length, first + 12); i++) {
            b.append("\n    at ").append(frames[i]);
        }
        return b.toString();
    }
}
