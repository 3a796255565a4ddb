package dev.uring4j.bench;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TCP echo, driven by the C {@code loadgen}: {@code conns} connections each keeping {@code depth}
 * messages of {@code size} bytes in flight (closed loop), or, when {@code rate > 0}, paced to
 * {@code rate} round trips per second in total.
 *
 * <p>Id syntax: {@code echo-<size>(B|KiB)-c<conns>-d<depth>[@<rate>]}, e.g. {@code echo-4KiB-c64-d1}
 * or {@code echo-64B-c512-d1@80000}.
 */
record EchoCell(int size, int conns, int depth, int rate) implements Cell {
    private static final Pattern ID = Pattern.compile("echo-(\\d+)(B|KiB)-c(\\d+)-d(\\d+)(?:@(\\d+))?");

    static EchoCell parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an echo cell id: " + id + " (expected e.g. echo-64B-c64-d1 or echo-64B-c64-d1@80000)");
        }
        int size = Integer.parseInt(m.group(1)) * (m.group(2).equals("KiB") ? 1024 : 1);
        int rate = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        return new EchoCell(size, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), rate);
    }

    @Override
    public String id() {
        return "echo-" + sizeText() + "-c" + conns + "-d" + depth + (rate > 0 ? "@" + rate : "");
    }

    private String sizeText() {
        return size % 1024 == 0 ? size / 1024 + "KiB" : size + "B";
    }

    @Override
    public String protocol() {
        return "echo";
    }

    @Override
    public String title() {
        String base = (size % 1024 == 0 ? size / 1024 + " KiB" : size + " B") + ", " + conns
                + (conns == 1 ? " conn" : " conns") + ", depth " + depth;
        return rate > 0 ? base + ", fixed " + String.format("%,d", rate) + " rt/s" : base;
    }

    @Override
    public boolean fixedLoad() {
        return rate > 0;
    }

    @Override
    public List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS) {
        return List.of(env.tool("loadgen").toString(), "--port", Integer.toString(port),
                "--conns", Integer.toString(conns), "--depth", Integer.toString(depth),
                "--size", Integer.toString(size), "--rate", Integer.toString(rate),
                "--warmup", Double.toString(warmupS), "--duration", Double.toString(durationS));
    }

    @Override
    public Optional<String> whyUnavailable(BenchEnv env) {
        return Files.isExecutable(env.tool("loadgen")) ? Optional.empty() : Optional.of(env.whyMissing("loadgen"));
    }
}
