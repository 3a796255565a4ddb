package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An RST storm: a thousand connections (half echo, half HTTP in the middle of a request body)
 * that each sent data the server has not answered or read yet, all closed with SO_LINGER 0 at
 * once. The server survives, every connection and the memory it held is freed, its descriptors
 * return to where they were, and the clients beside the storm lose nothing.
 */
class ResetStormTest {
    private static final int CONNECTIONS = 1000;

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aThousandResetsLeaveTheServerAsItWas(String transport) throws Exception {
        try (CliServer server = Chaos.serve(transport)) {
            Load load = Chaos.steadyLoad(server);
            int steady = load.maxTcpConnections();
            int descriptors = server.descriptors();

            List<Socket> storm = new ArrayList<>();
            try {
                byte[] echoData = new byte[64 << 10];
                Payload.copy(Payload.offset(1), 0, echoData, 0, echoData.length);
                byte[] request = HttpWire.postHead(1 << 20);
                for (int i = 0; i < CONNECTIONS; i++) {
                    boolean echo = i % 2 == 0;
                    Socket s = connect(echo ? server.address("echo") : server.address("http"));
                    storm.add(s);
                    s.getOutputStream().write(echo ? echoData : request);
                    if (!echo) {
                        s.getOutputStream().write(echoData, 0, 16 << 10);
                    }
                }
                Chaos.awaitConnections(server, steady + CONNECTIONS, Duration.ofSeconds(30));
                for (Socket s : storm) {
                    s.setSoLinger(true, 0);
                    s.close();
                }
            } finally {
                storm.forEach(Lane::abort);
            }
            Map<String, Long> after = Chaos.awaitConnections(server, steady, Duration.ofSeconds(20));
            Chaos.await(Duration.ofSeconds(10), "the server's descriptors back to " + descriptors,
                    () -> server.descriptors() == descriptors);
            Thread.sleep(2000);     // the steady clients go on after the storm
            load.stop(Duration.ofSeconds(30));
            Map<String, Long> end = Chaos.awaitConnections(server, 0, Duration.ofSeconds(10));
            assertEquals(0, end.get("loops.outputBytes"), () -> "no output or kept input left once every connection closed: "
                    + end + " (after the storm: " + after + ")");
            Chaos.assertNothingLost(load);
            assertEquals(0, load.udpLost(), () -> "UDP datagrams lost: " + load.tallies());
            Chaos.assertQuiet(server);
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        return s;
    }
}
