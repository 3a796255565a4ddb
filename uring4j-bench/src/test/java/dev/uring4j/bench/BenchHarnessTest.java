package dev.uring4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness itself, on a tiny matrix: so that {@code ./uring4j bench} cannot rot
 * unnoticed between the times someone runs it. Real processes, real sockets, the real C tools.
 */
class BenchHarnessTest {
    private static final Path ROOT = NativeTools.ROOT;
    private static BenchEnv env;

    @BeforeAll
    static void buildTools() throws Exception {
        env = NativeTools.env();
        assumeTrue(Files.isExecutable(env.tool("loadgen")), () -> "no C load generator: " + env.whyMissing("loadgen"));
    }

    @Test
    void tinyMatrixProducesSaneResultsInJsonMarkdownAndCharts(@TempDir Path out) throws Exception {
        boolean cPeer = Files.isExecutable(env.tool("echo_epoll"));
        String servers = cPeer ? "jdk-nio,c-epoll" : "jdk-nio";
        BenchOptions options = BenchOptions.parse(new String[] {
                "--servers", servers, "--cells", "echo-64B-c8-d2,echo-64B-c8-d1@4000", "--runs", "2",
                "--warmup", "0.2", "--duration", "0.5", "--server-warmup", "0.5", "--no-cross-check", "--seed", "42",
                "--out", out.toString() }, ROOT);
        Bench.run(options, ServerSpec.catalog(), env);

        Map<String, Object> json = Json.parseObject(Files.readString(out.resolve("results.json")));
        List<?> cells = (List<?>) json.get("cells");
        assertEquals(2, cells.size());
        for (Object c : cells) {
            Map<?, ?> cell = (Map<?, ?>) c;
            Map<?, ?> perServer = (Map<?, ?>) cell.get("results");
            assertEquals(List.of(servers.split(",")), List.copyOf(perServer.keySet()), "servers measured in " + cell.get("id"));
            for (var e : perServer.entrySet()) {
                Map<?, ?> result = (Map<?, ?>) e.getValue();
                String where = cell.get("id") + " / " + e.getKey() + ": " + result;
                assertEquals(0.0, result.get("failures"), where);
                Map<?, ?> m = (Map<?, ?>) result.get("median");
                double rate = num(m, "rt_per_s");
                assertTrue(rate > 0, where);
                if ((Boolean) cell.get("fixed_load")) {
                    assertTrue(rate > 0.8 * 4000 && rate < 1.2 * 4000, "paced at 4000 rt/s: " + where);
                }
                assertTrue(num(m, "round_trips") > 0, where);
                assertTrue(num(m, "p50_us") > 0 && num(m, "p99_us") >= num(m, "p50_us"), where);
                assertTrue(num(m, "server_cpu_us_per_rt") > 0 && num(m, "server_cpu_us_per_rt") < 10_000, where);
                assertTrue(num(m, "server_user_us_per_rt") <= num(m, "server_cpu_us_per_rt"), where);
                assertTrue(num(m, "load_cpu_us_per_rt") > 0, where);
                assertEquals(2, ((List<?>) result.get("each_run")).size(), where);
            }
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.startsWith("## uring4j beside its peers: summary\n\n| cell |"), "the summary table comes first: " + md);
        assertTrue(md.contains("| 64 B, 8 conns, depth 2 | JDK NIO selector |"), md);
        assertTrue(md.contains("seed 42"), md);

        // Every run is on record with the commands that made it, in the order the seed gave.
        List<String> raw = Files.readAllLines(out.resolve("runs.jsonl"));
        assertEquals(2 * 2 * servers.split(",").length, raw.size(), String.join("\n", raw));
        for (String line : raw) {
            Map<String, Object> run = Json.parseObject(line);
            assertTrue(((String) run.get("load_command")).contains("loadgen --port"), line);
            assertTrue(((String) run.get("server_command")).startsWith("taskset -c 0 "), line);
            assertTrue(((Map<?, ?>) run.get("tool_result")).containsKey("rt_per_s"), line);
        }
        for (String chart : List.of("throughput.png", "latency.png", "cpu.png")) {
            assertNotNull(ImageIO.read(out.resolve(chart).toFile()), chart);
        }
    }

    @Test
    void loadgenRejectsAnEchoWithOneWrongByte() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().daemon().start(() -> corruptingEcho(listener, 1000));
            RunResult r = LoadRun.run(env, new EchoCell(64, 1, 1, 0).loadCommand(env, listener.getLocalPort(), 0, 2), null, 2);
            assertNotNull(r.error(), "loadgen accepted a corrupted echo: " + r);
            assertTrue(r.error().contains("payload mismatch"), r.error());
            server.interrupt();
        }
    }

    @Test
    void unavailableServerIsSkippedWithItsOwnWords() {
        ServerSpec missing = new ServerSpec("nope", false, List.of("echo"), true, "Nope",
                List.of("-cp", "${BENCH_CP}", "dev.uring4j.bench.NoSuchServer", "--port", "0"), true);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ServerProcess.Unavailable.class,
                () -> ServerProcess.start(missing, env, java.time.Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("NoSuchServer"), e.getMessage());
    }

    @Test
    void cellIdsRoundTrip() {
        for (String id : BenchOptions.defaultCells(80_000)) {
            assertEquals(id, Cell.parse(id).id());
        }
        assertEquals(new EchoCell(4096, 64, 1, 0), Cell.parse("echo-4KiB-c64-d1"));
        assertEquals(new HttpCell(HttpCell.Tool.HTTP_LOAD, 256, 16, 0), Cell.parse("http-plaintext-c256-d16"));
        assertEquals(new HttpCell(HttpCell.Tool.WRK, 64, 1, 0), Cell.parse("wrk-plaintext-c64-d1"));
        assertTrue(Cell.parse("http-plaintext-c256-d1@50000").fixedLoad());
        assertTrue(Cell.parse("wrk-plaintext-c64-d1").title().endsWith("(wrk)"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Cell.parse("wrk-plaintext-c64-d1@1000"));
    }

    @Test
    void quickRunSaysSoInItsTitleAndOnlyIsCells() {
        BenchOptions quick = BenchOptions.parse(new String[] {"--quick", "--seed", "7"}, ROOT);
        String md = Report.markdown(new BenchResults(Map.of(), quick, List.of(), quick.cells()));
        assertTrue(md.startsWith("# QUICK RUN"), md);
        assertEquals(BenchOptions.parse(new String[] {"--cells", "echo-64B-c1-d1"}, ROOT).cells(),
                BenchOptions.parse(new String[] {"--only", "echo-64B-c1-d1"}, ROOT).cells());
        BenchOptions full = BenchOptions.parse(new String[0], ROOT);
        assertTrue(full.runs() >= 5, "a full run has at least 5 runs per cell");
        assertTrue(!full.quick() && !Report.markdown(new BenchResults(Map.of(), full, List.of(), full.cells())).contains("QUICK"));
    }

    /** Echoes faithfully except byte number {@code corruptAt} of the stream, which it flips. */
    private static void corruptingEcho(ServerSocket listener, long corruptAt) {
        try (Socket s = listener.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[4096];
            long seen = 0;
            for (int n; (n = in.read(buf)) > 0; seen += n) {
                if (corruptAt >= seen && corruptAt < seen + n) {
                    buf[(int) (corruptAt - seen)] ^= 0x5a;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException ignored) {
            // the load generator hung up after finding the mismatch: expected
        }
    }

    private static double num(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
