package dev.uring4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 plaintext ({@code GET /plaintext}, {@code Hello, World!}) over {@code conns} keep-alive
 * connections, each writing {@code depth} pipelined requests at a time (1 = no pipelining).
 *
 * <p>Two load tools, named in the id and the title. {@code http_load} (C, io_uring, one thread:
 * {@code src/main/c/http_load.c}) parses every response and costs less CPU per request than the
 * servers, so the servers are what saturates; with {@code rate > 0} it paces the requests and the
 * cell compares server CPU per request at that fixed load. {@code wrk} ({@code scripts/http_load.sh},
 * one thread, saturating only) is kept as a cross-check of the first.
 *
 * <p>Id syntax: {@code <tool>-plaintext-c<conns>-d<depth>[@<rate>]} with tool {@code http} (http_load)
 * or {@code wrk}, e.g. {@code http-plaintext-c256-d16}, {@code http-plaintext-c256-d1@50000},
 * {@code wrk-plaintext-c64-d1}.
 */
record HttpCell(Tool tool, int conns, int depth, int rate) implements Cell {
    private static final Pattern ID = Pattern.compile("(http|wrk)-plaintext-c(\\d+)-d(\\d+)(?:@(\\d+))?");

    /** The load tool a cell drives, with the id prefix and binary name it goes by. */
    enum Tool {
        HTTP_LOAD("http", "http_load"),
        WRK("wrk", "wrk");

        final String prefix;
        final String binary;

        Tool(String prefix, String binary) {
            this.prefix = prefix;
            this.binary = binary;
        }
    }

    HttpCell {
        if (rate > 0 && tool == Tool.WRK) {
            throw new IllegalArgumentException("wrk cannot pace its requests: a fixed-load HTTP cell uses http_load (http-plaintext-...@RATE)");
        }
    }

    static boolean matches(String id) {
        return id.startsWith("http-") || id.startsWith("wrk-");
    }

    static HttpCell parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an HTTP cell id: " + id
                    + " (expected e.g. http-plaintext-c64-d1, http-plaintext-c256-d1@50000 or wrk-plaintext-c64-d1)");
        }
        Tool tool = m.group(1).equals("wrk") ? Tool.WRK : Tool.HTTP_LOAD;
        return new HttpCell(tool, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    }

    @Override
    public String id() {
        return tool.prefix + "-plaintext-c" + conns + "-d" + depth + (rate > 0 ? "@" + rate : "");
    }

    @Override
    public String protocol() {
        return "http";
    }

    @Override
    public String title() {
        return "HTTP plaintext, " + conns + " conns" + (depth > 1 ? ", pipelined " + depth : "")
                + (rate > 0 ? String.format(Locale.ROOT, ", fixed %,d req/s", rate) : "") + " (" + tool.binary + ")";
    }

    @Override
    public boolean fixedLoad() {
        return rate > 0;
    }

    @Override
    public List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS) {
        List<String> command = new ArrayList<>();
        if (tool == Tool.WRK) {
            command.addAll(List.of(script(env).toString(), "--path", "/plaintext"));
        } else {
            command.add(env.tool(tool.binary).toString());
        }
        command.addAll(List.of("--port", Integer.toString(port), "--conns", Integer.toString(conns),
                "--depth", Integer.toString(depth), "--warmup", Double.toString(warmupS), "--duration", Double.toString(durationS)));
        if (rate > 0) {
            command.addAll(List.of("--rate", Integer.toString(rate)));
        }
        return command;
    }

    private static Path script(BenchEnv env) {
        return env.root().resolve("uring4j-bench/scripts/http_load.sh");
    }

    @Override
    public Optional<String> whyUnavailable(BenchEnv env) {
        return Files.exists(env.tool(tool.binary)) ? Optional.empty() : Optional.of(env.whyMissing(tool.binary));
    }
}
