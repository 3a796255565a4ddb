package dev.uring4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drains a child process's output on a daemon thread (a full pipe would stall the child) and keeps
 * its first and last lines, which is what an error message needs. Each line is also offered to a
 * listener, for readiness lines such as {@code listening on HOST:PORT}.
 */
public final class OutputTail {
    private static final int KEEP = 20;

    private final List<String> head = new ArrayList<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Thread reader;

    public OutputTail(InputStream in, String name, Consumer<String> onLine) {
        reader = Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    keep(line);
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone; what was read is kept
            }
        });
    }

    private synchronized void keep(String line) {
        if (head.size() < KEEP) {
            head.add(line);
            return;
        }
        tail.addLast(line);
        if (tail.size() > KEEP) {
            tail.removeFirst();
        }
    }

    /** Waits briefly for the stream to end, so an exited process's last words are in. */
    public void awaitEnd() {
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The most telling line: the first non-blank one (a JVM's exception, a CLI's complaint). */
    public synchronized String firstLine() {
        for (String line : head) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "(no output)";
    }

    public synchronized String lastLine() {
        for (var it = tail.descendingIterator(); it.hasNext(); ) {
            String line = it.next();
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        for (int i = head.size() - 1; i >= 0; i--) {
            if (!head.get(i).isBlank()) {
                return head.get(i).strip();
            }
        }
        return "(no output)";
    }
}
