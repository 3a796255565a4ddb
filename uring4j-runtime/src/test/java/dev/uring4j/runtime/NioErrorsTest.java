package dev.uring4j.runtime;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import org.junit.jupiter.api.Test;
import dev.uring4j.runtime.internal.nio.NioErrors;

/**
 * The errno behind the JDK's socket exceptions ({@link NioErrors}), from exceptions the JDK really
 * throws on this system (refused, unreachable, reset, broken pipe, address in use, closed), and
 * from the wordings it produces elsewhere (its host detail, musl's texts).
 */
class NioErrorsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aClosedPortIsRefused() throws IOException {
        int port;
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
        }
        try (SocketChannel c = SocketChannel.open()) {
            IOException e = assertThrows(IOException.class, () -> c.connect(new InetSocketAddress(LOOPBACK, port)));
            assertEquals(Errno.ECONNREFUSED, NioErrors.errno(e), e.toString());
        }
    }

    @Test
    void aMulticastDestinationIsUnreachable() throws IOException {
        try (SocketChannel c = SocketChannel.open()) {
            IOException e = assertThrows(IOException.class,
                    () -> c.connect(new InetSocketAddress(InetAddress.getByName("224.0.0.1"), 9)));
            assertEquals(Errno.ENETUNREACH, NioErrors.errno(e), e.toString());
        }
    }

    @Test
    void aResetIsSeenByReadAsEconnresetAndByWriteAsEpipeOrEconnreset() throws Exception {
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             SocketChannel client = SocketChannel.open(ss.getLocalAddress());
             SocketChannel server = ss.accept()) {
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.close();
            IOException read = assertThrows(IOException.class, () -> server.read(ByteBuffer.allocate(16)));
            assertEquals(Errno.ECONNRESET, NioErrors.errno(read), read.toString());
            IOException write = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    server.write(ByteBuffer.allocate(1 << 16));
                }
            });
            int errno = NioErrors.errno(write);
            assertTrue(errno == Errno.EPIPE || errno == Errno.ECONNRESET, write + " gave " + Errno.name(errno));
            ConnectionException ce = NioErrors.connectionException("send", write, "connection#1");
            assertTrue(ce.getMessage().startsWith("send on connection#1: " + Errno.name(errno)), ce.getMessage());
            assertSame(write, ce.getCause(), "the JDK's exception is kept");
        }
    }

    @Test
    void aTakenAddressIsInUse() throws IOException {
        try (ServerSocketChannel a = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             ServerSocketChannel b = ServerSocketChannel.open()) {
            BindException e = assertThrows(BindException.class, () -> b.bind(a.getLocalAddress()));
            ErrnoException ee = NioErrors.errnoException("bind", e);
            assertEquals(Errno.EADDRINUSE, ee.errno(), e.toString());
            assertTrue(ee.getMessage().startsWith("bind: EADDRINUSE"), ee.getMessage());
        }
    }

    @Test
    void aClosedChannelIsEbadf() throws IOException {
        SocketChannel c = SocketChannel.open();
        c.close();
        ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> c.write(ByteBuffer.allocate(1)));
        assertEquals(Errno.EBADF, NioErrors.errno(e));
    }

    @Test
    void theJdksDetailAndMuslsWordingAreRecognised() {
        assertEquals(Errno.ECONNREFUSED, NioErrors.errno(new ConnectException("Connection refused: /10.0.0.1:80")));
        assertEquals(Errno.EPIPE, NioErrors.errno(new IOException("Broken pipe (Write failed)")));
        assertEquals(Errno.EMFILE, NioErrors.errno(new IOException("No file descriptors available")));
        assertEquals(Errno.ENETUNREACH, NioErrors.errno(new java.net.SocketException("Network unreachable")));
        assertEquals(Errno.ECONNREFUSED, NioErrors.errno(new ConnectException("refused somehow")), "by class");
    }

    @Test
    void whatCannotBeToldIsEioAndSaysWhatTheJdkReported() {
        IOException odd = new IOException("something new");
        ConnectionException e = NioErrors.connectionException("recv", odd, "connection#2");
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("the JDK reported: java.io.IOException: something new"), e.getMessage());
        assertSame(odd, e.getCause());
    }
}
