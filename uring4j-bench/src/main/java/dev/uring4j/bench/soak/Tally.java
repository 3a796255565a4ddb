package dev.uring4j.bench.soak;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one kind of client has done so far: exchanges completed, bytes checked, and every way an
 * exchange can go wrong. Bytes a client abandons on purpose (the rest of a message it resets) are
 * neither verified nor lost.
 */
final class Tally {
    final String name;
    final String description;
    final LongAdder ops = new LongAdder();
    final LongAdder bytesVerified = new LongAdder();
    /** Bytes that should have come back and did not: the connection broke or closed early. */
    final LongAdder bytesLost = new LongAdder();
    /** Bytes that came back different from what was sent, or more than was sent. */
    final LongAdder bytesCorrupted = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder resets = new LongAdder();

    Tally(String name, String description) {
        this.name = name;
        this.description = description;
    }

    Snapshot snapshot() {
        return new Snapshot(name, description, ops.sum(), bytesVerified.sum(), bytesLost.sum(), bytesCorrupted.sum(),
                errors.sum(), connections.sum(), resets.sum());
    }

    record Snapshot(String name, String description, long ops, long bytesVerified, long bytesLost,
                    long bytesCorrupted, long errors, long connections, long resets) {

        Snapshot plus(Snapshot o) {
            return new Snapshot("all", "", ops + o.ops, bytesVerified + o.bytesVerified, bytesLost + o.bytesLost,
                    bytesCorrupted + o.bytesCorrupted, errors + o.errors, connections + o.connections, resets + o.resets);
        }

        static Snapshot zero() {
            return new Snapshot("all", "", 0, 0, 0, 0, 0, 0, 0);
        }
    }
}
