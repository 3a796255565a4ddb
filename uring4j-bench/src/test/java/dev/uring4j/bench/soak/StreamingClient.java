package dev.uring4j.bench.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Child process for {@link ClientKillTest}: two connections to the echo server and two to the
 * HTTP server (a {@code POST /echo} announcing a gigabyte), each written to without pause and
 * never read. The server's output for them backs up and it stops reading them: data is in flight
 * both ways when the test kills this process. Prints {@code streaming} once every connection has
 * carried 256 KiB.
 */
public final class StreamingClient {
    private StreamingClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress echo = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        InetSocketAddress http = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sockets.add(new Socket(echo.getAddress(), echo.getPort()));
        }
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket(http.getAddress(), http.getPort());
            s.getOutputStream().write(HttpWire.postHead(1L << 30));
            sockets.add(s);
        }
        CountDownLatch started = new CountDownLatch(sockets.size());
        for (Socket s : sockets) {
            Thread.ofPlatform().start(() -> {
                byte[] chunk = new byte[16 << 10];
                long written = 0;
                try {
                    OutputStream out = s.getOutputStream();
                    for (long seed = 0; ; seed++) {
                        Payload.copy(Payload.offset(seed), 0, chunk, 0, chunk.length);
                        out.write(chunk);
                        written += chunk.length;
                        if (written == 256 << 10) {
                            started.countDown();
                        }
                    }
                } catch (IOException e) {
                    System.out.println("write failed after " + written + " bytes: " + e);
                }
            });
        }
        started.await();
        System.out.println("streaming");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
