package dev.uring4j.runtime.internal.uring;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code user_data} codec: op, generation and slot come back as they went in, none of them
 * leaks into another (a completion dispatched to the wrong op, slot or occupant is a use of a
 * connection that is gone), the generation wraps within its 24 bits, and the loop's own ops at
 * the top of the range decode as themselves.
 */
@Tag("transport-independent")
class UserDataTest {
    private static final int[] OPS = {
        UserData.OP_RECV, UserData.OP_SEND, UserData.OP_SEND_ZC, UserData.OP_CLOSE, UserData.OP_CANCEL,
        UserData.OP_SHUTDOWN, UserData.OP_ACCEPT, UserData.OP_SOCKET, UserData.OP_CONNECT, UserData.OP_LINK_TIMEOUT,
        UserData.OP_FD_INSTALL, UserData.OP_HANDOFF_SEND, UserData.OP_RECVMSG, UserData.OP_SENDMSG, UserData.OP_LISTEN,
        UserData.OP_PROVIDE_BUFFERS, UserData.OP_BIND, UserData.OP_HANDOFF, UserData.OP_MSG, UserData.OP_WAKEUP,
        UserData.OP_LOOP_CANCEL,
    };

    private static void assertRoundTrip(int op, int generation, int slot) {
        long ud = UserData.encode(op, generation, slot);
        assertEquals(op, UserData.op(ud), () -> "op of " + UserData.describe(ud));
        assertEquals(generation & UserData.GENERATION_MASK, UserData.generation(ud), () -> "generation of " + UserData.describe(ud));
        assertEquals(slot, UserData.slot(ud), () -> "slot of " + UserData.describe(ud));
    }

    @Test
    void everyOpRoundTripsWithExtremeGenerationsAndSlots() {
        int[] generations = {0, 1, 0x7F_FFFF, 0x80_0000, UserData.GENERATION_MASK};
        int[] slots = {0, 1, 0xFFFF, 0x1_0000, 1 << 30, UserData.MAX_SLOT};
        for (int op : OPS) {
            for (int g : generations) {
                for (int s : slots) {
                    assertRoundTrip(op, g, s);
                }
            }
        }
    }

    @Test
    void theLoopsOwnOpsAtTheTopOfTheRangeDecodeAsThemselves() {
        // An op with its top bit set must not come back sign-extended (negative).
        for (int op : new int[] {UserData.OP_HANDOFF, UserData.OP_MSG, UserData.OP_WAKEUP, UserData.OP_LOOP_CANCEL, 0xFF}) {
            long ud = UserData.encode(op, UserData.GENERATION_MASK, -1);
            assertEquals(op, UserData.op(ud));
            assertTrue(ud < 0, "the op occupies the top byte");
        }
        Set<Integer> distinct = new HashSet<>();
        for (int op : OPS) {
            assertTrue(op > 0 && op <= 0xFF, "op " + op + " fits its 8 bits");
            assertTrue(distinct.add(op), "op " + op + " is used twice");
        }
    }

    @Test
    void theGenerationWrapsWithinItsBitsAndLeavesTheOpAlone() {
        // The loop increments a slot's generation without bound and masks it; encode masks too.
        long wrapped = UserData.encode(UserData.OP_RECV, UserData.GENERATION_MASK + 1, 7);
        assertEquals(UserData.OP_RECV, UserData.op(wrapped), "generation bits must not spill into the op");
        assertEquals(0, UserData.generation(wrapped));
        assertEquals(7, UserData.slot(wrapped));
        assertEquals(UserData.encode(UserData.OP_RECV, 0, 7), wrapped);
        long negative = UserData.encode(UserData.OP_SEND, -1, 7);
        assertEquals(UserData.OP_SEND, UserData.op(negative));
        assertEquals(UserData.GENERATION_MASK, UserData.generation(negative));
        // One generation apart, the completions of two occupants of a slot differ.
        assertNotEquals(UserData.encode(UserData.OP_RECV, 41, 3), UserData.encode(UserData.OP_RECV, 42, 3));
    }

    @Test
    void aSlotUsesAll32BitsWithoutTouchingTheGeneration() {
        // UDP sends carry (socket index | send slot << 16): every bit of the slot is used.
        int udpSlot = 5 | 32_767 << 16;
        assertRoundTrip(UserData.OP_SENDMSG, 9, udpSlot);
        long ud = UserData.encode(UserData.OP_SENDMSG, 9, -1);
        assertEquals(9, UserData.generation(ud), "a slot with its top bit set leaves the generation alone");
        assertEquals(-1, UserData.slot(ud));
    }

    @Test
    void randomFieldsRoundTrip() {
        Random random = new Random(99);
        for (int i = 0; i < 100_000; i++) {
            assertRoundTrip(OPS[random.nextInt(OPS.length)], random.nextInt(), random.nextInt());
        }
    }

    @Test
    void describeNamesEachField() {
        long ud = UserData.encode(UserData.OP_WAKEUP, 0xABCDE, 123_456);
        String d = UserData.describe(ud);
        assertTrue(d.contains("op " + UserData.OP_WAKEUP), d);
        assertTrue(d.contains("generation " + 0xABCDE), d);
        assertTrue(d.contains("slot 123456"), d);
        assertTrue(d.contains("0x" + Long.toHexString(ud)), d);
    }
}
