package dev.uring4j.bench;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WebSocket, driven by the C {@code ws_load} ({@code src/main/c/ws_load.c}) over {@code conns}
 * upgraded connections. Two workloads:
 * <ul>
 *   <li>{@code echo}, saturating: every connection keeps one masked 11-byte text message in flight
 *       on path {@code /echo}; the figure is messages per second (one message and its echo is a
 *       round trip) and the server's CPU per message;
 *   <li>{@code broadcast}, a fixed load set by the server: the connections only listen on
 *       {@code /broadcast}, where the server sends a 200-byte binary frame to all of them
 *       {@value #TICK_HZ} times a second (the servers' default tick); the figures are the server's
 *       CPU per frame (times {@link #rate()}, its CPU share) and the frames' lateness, arrival
 *       minus the tick's due time, in the latency columns.
 * </ul>
 *
 * <p>Id syntax: {@code ws-echo-c<conns>} or {@code ws-broadcast-<conns>}, e.g. {@code ws-echo-c512},
 * {@code ws-broadcast-1000}.
 */
record WsCell(boolean broadcast, int conns) implements Cell {
    /** The broadcast servers' tick rate when {@code --tick-hz} is not given, which the bench's server lines do not. */
    static final int TICK_HZ = 60;
    private static final Pattern ID = Pattern.compile("ws-(?:echo-c(\\d+)|broadcast-(\\d+))");

    static boolean matches(String id) {
        return id.startsWith("ws-");
    }

    static WsCell parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a WebSocket cell id: " + id + " (expected e.g. ws-echo-c512 or ws-broadcast-1000)");
        }
        return m.group(1) != null ? new WsCell(false, Integer.parseInt(m.group(1))) : new WsCell(true, Integer.parseInt(m.group(2)));
    }

    @Override
    public String id() {
        return broadcast ? "ws-broadcast-" + conns : "ws-echo-c" + conns;
    }

    @Override
    public String protocol() {
        return "ws";
    }

    @Override
    public String title() {
        return broadcast ? "WebSocket broadcast, 200 B at " + TICK_HZ + " Hz to " + conns + " conns (latency: lateness)"
                : "WebSocket echo, 11 B text, " + conns + " conns";
    }

    @Override
    public boolean fixedLoad() {
        return broadcast;
    }

    @Override
    public int rate() {
        return broadcast ? TICK_HZ * conns : 0;
    }

    @Override
    public List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS) {
        return List.of(env.tool("ws_load").toString(), "--port", Integer.toString(port), "--conns", Integer.toString(conns),
                "--mode", broadcast ? "broadcast" : "echo", "--path", broadcast ? "/broadcast" : "/echo",
                "--warmup", Double.toString(warmupS), "--duration", Double.toString(durationS));
    }

    @Override
    public Optional<String> whyUnavailable(BenchEnv env) {
        return Files.isExecutable(env.tool("ws_load")) ? Optional.empty() : Optional.of(env.whyMissing("ws_load"));
    }
}
