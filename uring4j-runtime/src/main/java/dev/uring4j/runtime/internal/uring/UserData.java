package dev.uring4j.runtime.internal.uring;

/**
 * The {@code user_data} codec: which operation, on which slot, of which generation.
 *
 * <pre>
 *  63      56 55                 32 31                         0
 *  +---------+---------------------+----------------------------+
 *  |  op (8) |  generation (24)    |  slot (32)                 |
 *  +---------+---------------------+----------------------------+
 * </pre>
 *
 * A slot is an index into the loop's connection (or listener) table. Its generation increases
 * each time the slot is reused, so a completion that arrives for a previous occupant is
 * recognised and dropped instead of being delivered to the new one. Ops at the top of the range
 * are the loop's own (wakeups, ring messages).
 */
public final class UserData {
    private UserData() {}

    public static final int OP_RECV = 1;
    static final int OP_SEND = 2;
    static final int OP_SEND_ZC = 3;
    static final int OP_CLOSE = 4;
    static final int OP_CANCEL = 5;
    static final int OP_SHUTDOWN = 6;
    static final int OP_ACCEPT = 7;
    static final int OP_SOCKET = 8;
    static final int OP_CONNECT = 9;
    static final int OP_LINK_TIMEOUT = 10;
    static final int OP_FD_INSTALL = 11;
    static final int OP_HANDOFF_SEND = 12;
    static final int OP_RECVMSG = 13;
    static final int OP_SENDMSG = 14;
    static final int OP_LISTEN = 15;
    static final int OP_PROVIDE_BUFFERS = 16;
    static final int OP_BIND = 17;
    /** A user's watch of a descriptor: a multishot poll. */
    static final int OP_POLL = 18;
    /** The removal of such a poll; posts a completion only when it fails. */
    static final int OP_POLL_REMOVE = 19;
    /** A socket set up with system calls moving into the registered file table. */
    static final int OP_FILES_UPDATE = 20;
    /** A task message this loop sent another ({@link RingMail}); posts a completion only when it fails. */
    static final int OP_TASK_SENT = 21;
    /** An open, statx or read of a {@code LoopFile} ({@link UringFiles}: slot and generation name the operation). */
    static final int OP_FILE = 22;
    /** The close of a {@code LoopFile}'s descriptor; its result is only logged. */
    static final int OP_FILE_CLOSE = 23;
    /** A connection's splice of a file region into its pipe. */
    static final int OP_SPLICE_IN = 24;
    /** A connection's splice from its pipe to its socket. */
    static final int OP_SPLICE_OUT = 25;
    /** A connection arriving from another loop through msg_ring fd passing. */
    static final int OP_HANDOFF = 0xF0;
    /** A msg_ring wakeup from another loop. */
    static final int OP_MSG = 0xF1;
    /** The eventfd read that foreign threads wake the loop through. */
    static final int OP_WAKEUP = 0xF2;
    /** A cancel issued by the loop itself (shutdown). */
    static final int OP_LOOP_CANCEL = 0xF3;
    /** A task from another loop ({@link RingMail}): generation is the mailbox, slot the slot. */
    static final int OP_TASK = 0xF4;

    static final int MAX_SLOT = Integer.MAX_VALUE;
    static final int GENERATION_MASK = 0xFF_FFFF;

    public static long encode(int op, int generation, int slot) {
        return ((long) op << 56) | ((long) (generation & GENERATION_MASK) << 32) | (slot & 0xFFFF_FFFFL);
    }

    static int op(long userData) {
        return (int) (userData >>> 56);
    }

    static int generation(long userData) {
        return (int) (userData >>> 32) & GENERATION_MASK;
    }

    static int slot(long userData) {
        return (int) userData;
    }

    static String describe(long userData) {
        return "user_data 0x" + Long.toHexString(userData) + " (op " + op(userData) + ", generation "
                + generation(userData) + ", slot " + slot(userData) + ")";
    }
}
