package dev.uring4j.runtime.internal.uring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The loop's connections by slot, which is what a completion's {@code user_data} names
 * ({@link UserData}): a slot's generation grows each time the slot is reused, so a late
 * completion for an earlier occupant is recognised and dropped.
 *
 * <p>With direct descriptors, a slot below {@link #capacity()} is the connection's index in the
 * ring's registered file table, where the kernel put it at accept (or where an outgoing
 * connection's socket was moved after its set-up); an outgoing connection that found the table full
 * keeps its normal fd and gets a slot above that range, so the two numberings never meet. Without
 * direct descriptors the slot is the fd. Owned by the loop's thread, except {@link #acceptRoom()},
 * which other loops read to pick where a connection goes.
 */
final class SlotTable {
    private final boolean direct;
    /** Registered file table size: slots below it are kernel slot numbers. */
    private final int tableSize;
    private UringConnection[] connections;
    private int[] generations;
    private int[] freeClientSlots = new int[0];
    private int freeClientCount;
    /** Accepted connections in direct-descriptor slots; read racily by other loops for hand-over. */
    private volatile int acceptedOpen;
    /**
     * Connections whose direct descriptor the kernel freed (their close ran) and gave to a newer
     * connection before the loop read the close's completion: the kernel hands a freed index out
     * again at once, and an outgoing connection's socket is moved into the table by a system call,
     * which runs ahead of completions not yet read. Each stays findable by its generation until its
     * last completion is read. Rarely more than one.
     */
    private final ArrayList<UringConnection> displaced = new ArrayList<>();

    /** A table for a loop with direct descriptors in a registered table of {@code tableSize}, or without ({@code direct} false). */
    SlotTable(boolean direct, int tableSize) {
        this.direct = direct;
        this.tableSize = direct ? tableSize : 0;
        int initial = direct ? tableSize : 1024;
        this.connections = new UringConnection[initial];
        this.generations = new int[initial];
    }

    /** Claims {@code slot} for a new connection: grows the table if needed and returns the slot's next generation. */
    int claim(int slot) {
        if (slot >= connections.length) {
            int n = Math.max(slot + 1, connections.length * 2);
            connections = Arrays.copyOf(connections, n);
            generations = Arrays.copyOf(generations, n);
        }
        return ++generations[slot] & UserData.GENERATION_MASK;
    }

    /** Puts {@code c} in its slot (claimed before). */
    void put(UringConnection c) {
        UringConnection earlier = connections[c.slot];
        if (earlier != null) {
            displaced.add(earlier);
        }
        connections[c.slot] = c;
        if (c.fixed) {
            acceptedOpen++;
        }
    }

    /** The connection {@code userData} names, or {@code null} if its slot holds none of that generation. */
    UringConnection lookUp(long userData) {
        int slot = UserData.slot(userData);
        if (slot < 0 || slot >= connections.length) {
            return null;
        }
        UringConnection c = connections[slot];
        int generation = UserData.generation(userData);
        if (c != null && c.generation == generation) {
            return c;
        }
        for (int i = 0; i < displaced.size(); i++) {
            UringConnection d = displaced.get(i);
            if (d.slot == slot && d.generation == generation) {
                return d;
            }
        }
        return null;
    }

    /** {@code c} finished closing: its slot may be reused. */
    void remove(UringConnection c) {
        if (connections[c.slot] == c) {
            connections[c.slot] = null;
        } else {
            displaced.remove(c);
        }
        if (c.fixed) {
            acceptedOpen--;
        } else if (direct) {
            freeClientSlots[freeClientCount++] = c.slot;
        }
    }

    /**
     * A slot for an outgoing connection on normal fd {@code fd}: above the registered table's range
     * with direct descriptors, else the fd itself.
     */
    int clientSlot(int fd) {
        if (!direct) {
            return fd;
        }
        if (freeClientCount == 0) {
            int base = Math.max(connections.length, tableSize);
            int grow = Math.max(256, connections.length / 2);
            connections = Arrays.copyOf(connections, base + grow);
            generations = Arrays.copyOf(generations, base + grow);
            if (freeClientSlots.length < freeClientCount + grow) {
                freeClientSlots = Arrays.copyOf(freeClientSlots, freeClientSlots.length + grow);
            }
            for (int i = grow - 1; i >= 0; i--) {
                freeClientSlots[freeClientCount++] = base + i;
            }
        }
        return freeClientSlots[--freeClientCount];
    }

    /**
     * How many more connections may be accepted into the registered file table. The kernel accepts
     * first and installs second, closing the connection when the table is full, so the runtime
     * must never accept into a full table: listeners stop at zero.
     */
    int acceptRoom() {
        return direct ? tableSize - acceptedOpen : Integer.MAX_VALUE;
    }

    /** Size of the range accepted connections go into. */
    int capacity() {
        return direct ? tableSize : Integer.MAX_VALUE;
    }

    /** Calls {@code action} with every connection in the table (the action may close them). */
    void forEach(Consumer<UringConnection> action) {
        for (UringConnection c : connections) {
            if (c != null) {
                action.accept(c);
            }
        }
        for (UringConnection c : displaced.toArray(UringConnection[]::new)) {
            action.accept(c);
        }
    }
}
