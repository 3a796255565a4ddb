package dev.uring4j.bench;

import java.io.PrintStream;

/**
 * The progress line on stderr while the suite runs: step, what is running, elapsed time and an
 * estimate of what is left. Rewritten in place on a terminal, one line per step in a log.
 */
final class Progress {
    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private final long startNs = System.nanoTime();
    private final int total;
    private int done;
    private int width;

    Progress(int total) {
        this.total = Math.max(total, 1);
    }

    void step(String what) {
        long elapsedS = (System.nanoTime() - startNs) / 1_000_000_000L;
        String eta = done == 0 ? "" : ", ~" + time(elapsedS * (total - done) / done) + " left";
        String line = String.format("[%3d/%d] %s  (%s elapsed%s)", done + 1, total, what, time(elapsedS), eta);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
        } else {
            out.println(line);
        }
        out.flush();
        done = Math.min(done + 1, total);
    }

    /** A message on its own line, leaving the progress line intact below it. */
    void say(String message) {
        if (terminal && width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            width = 0;
        }
        out.println(message);
    }

    void finish() {
        if (terminal && width > 0) {
            out.println();
        }
        say("done in " + time((System.nanoTime() - startNs) / 1_000_000_000L));
    }

    private static String time(long s) {
        return s >= 60 ? s / 60 + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
