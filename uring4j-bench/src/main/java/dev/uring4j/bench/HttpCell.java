package dev.uring4j.bench;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 plaintext ({@code GET /plaintext}, {@code Hello, World!}), driven by wrk with one
 * thread through {@code scripts/http_load.sh}: {@code conns} keep-alive connections, each with
 * {@code depth} pipelined requests per write (1 = no pipelining). Always saturating: wrk has no
 * pacing, so servers are compared on requests per second and on server CPU per request at that
 * rate.
 *
 * <p>Id syntax: {@code http-plaintext-c<conns>-d<depth>}, e.g. {@code http-plaintext-c256-d1}.
 */
record HttpCell(int conns, int depth) implements Cell {
    private static final Pattern ID = Pattern.compile("http-plaintext-c(\\d+)-d(\\d+)");

    static boolean matches(String id) {
        return id.startsWith("http-");
    }

    static HttpCell parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an HTTP cell id: " + id + " (expected e.g. http-plaintext-c64-d1)");
        }
        return new HttpCell(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String id() {
        return "http-plaintext-c" + conns + "-d" + depth;
    }

    @Override
    public String protocol() {
        return "http";
    }

    @Override
    public String title() {
        return "HTTP plaintext, " + conns + " conns" + (depth > 1 ? ", pipelined " + depth : "");
    }

    @Override
    public boolean fixedLoad() {
        return false;
    }

    @Override
    public int rate() {
        return 0;
    }

    @Override
    public List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS) {
        return List.of(env.root().resolve("uring4j-bench/scripts/http_load.sh").toString(), "--port", Integer.toString(port),
                "--conns", Integer.toString(conns), "--depth", Integer.toString(depth), "--path", "/plaintext",
                "--warmup", Double.toString(warmupS), "--duration", Double.toString(durationS));
    }

    @Override
    public Optional<String> whyUnavailable(BenchEnv env) {
        return Files.exists(env.tool("wrk")) ? Optional.empty() : Optional.of(env.whyMissing("wrk"));
    }
}
