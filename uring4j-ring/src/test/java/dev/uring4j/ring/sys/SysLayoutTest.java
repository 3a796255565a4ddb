package dev.uring4j.ring.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pins the C library structs the binding lays out itself to their LP64 Linux sizes and offsets. */
class SysLayoutTest {
    @Test
    void msghdr() {
        assertEquals(56, Msghdr.LAYOUT.byteSize());
        assertEquals(0, Msghdr.OFFSET_msg_name);
        assertEquals(8, Msghdr.OFFSET_msg_namelen);
        assertEquals(16, Msghdr.OFFSET_msg_iov);
        assertEquals(24, Msghdr.OFFSET_msg_iovlen);
        assertEquals(32, Msghdr.OFFSET_msg_control);
        assertEquals(40, Msghdr.OFFSET_msg_controllen);
        assertEquals(48, Msghdr.OFFSET_msg_flags);
    }

    @Test
    void iovec() {
        assertEquals(16, Iovec.LAYOUT.byteSize());
        assertEquals(0, Iovec.OFFSET_iov_base);
        assertEquals(8, Iovec.OFFSET_iov_len);
    }
}
