package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import dev.uring4j.runtime.internal.Leaks;
import dev.uring4j.runtime.internal.AcceptBackoff;
import dev.uring4j.runtime.internal.LoopListener;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * A listening channel served by one NIO loop: while it may accept, its key asks for
 * {@code OP_ACCEPT}, and each readiness takes everything the backlog holds (up to a backlog's
 * worth), as io_uring's multishot accept does: a loop that also serves connections must not let
 * the accept queue fill between its turns, or the kernel drops the handshakes that do not fit.
 *
 * <p>It stops asking, and the connections wait in the backlog, in the same cases as io_uring's
 * listener and with the same reports ({@link AcceptBackoff}): at the server's connection limit
 * until one closes; out of descriptors ({@code EMFILE}, {@code ENFILE}: the kernel reserves the
 * descriptor before it takes a connection off the backlog, so none is lost) for a back-off from
 * 1 ms doubling to 1 s, or until a connection closes. Owned by the loop's thread.
 */
public final class NioListener extends LoopListener implements NioEventLoop.Ready {
    private final NioEventLoop loop;
    private final NioServer server;
    private final ServerSocketChannel channel;
    private SelectionKey key;

    NioListener(NioEventLoop loop, NioServer server, ServerSocketChannel channel) {
        this.loop = loop;
        this.server = server;
        this.channel = channel;
        if (loop.leaks != null) {
            loop.leaks.acquired(Leaks.Kind.DESCRIPTOR, this, "the channel of a listener");
        }
    }

    /** Runs on the loop: registers and starts accepting. */
    @Override
    public void start() throws IOException {
        key = loop.register(channel, 0, this);
        loop.addListener(this);
        arm();
    }

    @Override
    protected void arm() {
        if (stopping) {
            return;
        }
        key.interestOps(hasRoom(server.room()) ? SelectionKey.OP_ACCEPT : 0);
    }

    @Override
    protected String fullReason() {
        return server.fullReason();
    }

    @Override
    protected Object address() {
        return server.localAddress();
    }

    @Override
    public void ready(int readyOps) {
        for (int i = server.burst(); i > 0 && !stopping; i--) {
            if (server.room() <= 0) {
                arm();
                return;
            }
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                failed(e);
                return;
            }
            if (accepted == null) {
                return;
            }
            backoff.accepted();
            server.accepted(loop, accepted);
        }
    }

    private void failed(IOException e) {
        int errno = NioErrors.errno(e);
        if (AcceptBackoff.outOfDescriptors(errno)) {
            if (backoff.trouble()) {
                TransportLoop.LOG.log(System.Logger.Level.WARNING,
                        AcceptBackoff.outOfDescriptorsMessage(server.localAddress(), errno, null));
            }
        } else {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, AcceptBackoff.failedMessage(server.localAddress(), errno), e);
        }
        // Level-triggered: asking again now would fail again at once. Wait for the back-off.
        key.interestOps(0);
        backoff.scheduleRetry(loop, this::retryNow);
    }

    /** Closes the channel; connections still in the backlog are reset by the kernel. */
    @Override
    protected void stopAccepting() {
        NioEventLoop.closeQuietly(channel);
        if (loop.leaks != null) {
            loop.leaks.released(Leaks.Kind.DESCRIPTOR, this);
        }
    }

    /** Closed as soon as stopped: a NIO accept holds nothing of ours in the kernel. */
    @Override
    public boolean isClosed() {
        return stopping;
    }

    @Override
    public void closeNow() {
        stop();
    }
}
