package dev.uring4j.ring;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.uapi.IoUringH;
import org.junit.jupiter.api.Test;

/**
 * Error messages and diagnostics render flag words by name; a name table out of step with the
 * header would make them lie. Each single-bit constant of {@link IoUringH} must render as its
 * own name.
 */
class FlagNamesTest {

    private static void eachBitRendersAsItsName(String prefix, IntFunction<String> render) throws Exception {
        int checked = 0;
        for (Field f : IoUringH.class.getFields()) {
            if (!f.getName().startsWith(prefix) || f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            int value = f.getInt(null);
            if (Integer.bitCount(value) != 1) {
                continue;
            }
            assertEquals(f.getName(), render.apply(value));
            checked++;
        }
        assertTrue(checked > 4, "found the " + prefix + " constants");
    }

    @Test
    void setupFlags() throws Exception {
        eachBitRendersAsItsName("IORING_SETUP_", FlagNames::setup);
    }

    @Test
    void features() throws Exception {
        eachBitRendersAsItsName("IORING_FEAT_", FlagNames::features);
    }

    @Test
    void cqeFlags() throws Exception {
        eachBitRendersAsItsName("IORING_CQE_F_", FlagNames::cqe);
    }

    @Test
    void combinationsJoinWithBarAndUnknownBitsShowTheirPosition() {
        assertEquals("IORING_SETUP_SINGLE_ISSUER|IORING_SETUP_DEFER_TASKRUN",
                FlagNames.setup(IoUringH.IORING_SETUP_SINGLE_ISSUER | IoUringH.IORING_SETUP_DEFER_TASKRUN));
        assertEquals("0", FlagNames.setup(0));
        assertEquals("IORING_SETUP_SQPOLL|1<<30", FlagNames.setup(IoUringH.IORING_SETUP_SQPOLL | 1 << 30));
        assertEquals("IORING_CQE_F_BUFFER|IORING_CQE_F_MORE", FlagNames.cqe(7 << 16 | 3), "buffer id bits left out");
    }
}
