package dev.uring4j.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The HttpArena workloads against the servers of protocol {@code arena} ({@code ./uring4j arena} and
 * its peers), driven by {@code http_load} with a rotation of raw requests ({@code --request}), each
 * connection starting at a different one:
 *
 * <ul>
 *   <li>{@code baseline-get}: {@code GET /baseline11?a=A&b=B}, several A and B;</li>
 *   <li>{@code baseline-post}: the same as {@code POST} with a decimal body by {@code Content-Length};</li>
 *   <li>{@code baseline-chunked}: the same with the body chunked;</li>
 *   <li>{@code pipeline}: {@code GET /pipeline}, 16 requests per write;</li>
 *   <li>{@code json}: {@code GET /json/{count}?m=M} for counts 1 to 50, with
 *       {@code Accept-Encoding: gzip};</li>
 *   <li>{@code upload}: {@code POST /upload} with bodies of 500 KiB to 20 MiB;</li>
 *   <li>{@code static}: {@code GET /static/{file}} for every file of the sample's static directory
 *       (not the precompressed siblings), with {@code Accept-Encoding: br, gzip}. Its protocol is
 *       {@code arena-static}: a plain file server (nginx) answers it but none of the others.</li>
 * </ul>
 *
 * <p>Id syntax: {@code arena-<workload>-c<conns>}, e.g. {@code arena-json-c64}, {@code arena-upload-c512}.
 * The request files are written once, beside the C programs.
 */
record ArenaCell(Workload workload, int conns) implements Cell {
    private static final Pattern ID = Pattern.compile("arena-([a-z-]+)-c(\\d+)");
    private static final String HEAD = " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: http_load\r\n";

    /** What the requests of a cell ask. */
    enum Workload {
        BASELINE_GET("baseline-get", 1, "GET /baseline11?a=A&b=B"),
        BASELINE_POST("baseline-post", 1, "POST /baseline11?a=A&b=B, body by length"),
        BASELINE_CHUNKED("baseline-chunked", 1, "POST /baseline11?a=A&b=B, chunked body"),
        PIPELINE("pipeline", 16, "GET /pipeline, pipelined 16"),
        JSON("json", 1, "GET /json/{1..50}?m=M, Accept-Encoding: gzip"),
        UPLOAD("upload", 1, "POST /upload, 500 KiB to 20 MiB"),
        STATIC("static", 1, "GET /static/{every sample file}, Accept-Encoding: br, gzip");

        final String name;
        final int depth;
        final String title;

        Workload(String name, int depth, String title) {
            this.name = name;
            this.depth = depth;
            this.title = title;
        }

        static Workload named(String name) {
            return Arrays.stream(values()).filter(w -> w.name.equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no arena workload " + name + "; known: "
                            + Arrays.stream(values()).map(w -> w.name).toList()));
        }

        /** The raw requests of the rotation; {@code data} is the sample data directory the servers serve. */
        List<byte[]> requests(Path data) {
            List<byte[]> all = new ArrayList<>();
            int[][] operands = {{1, 2}, {13, 29}, {250, -7}, {4096, 12345}, {-99, 100}, {7, 0}, {65535, 1}, {31, 41}};
            switch (this) {
                case BASELINE_GET -> {
                    for (int[] o : operands) {
                        all.add(ascii("GET /baseline11?a=" + o[0] + "&b=" + o[1] + HEAD + "\r\n"));
                    }
                }
                case BASELINE_POST, BASELINE_CHUNKED -> {
                    for (int[] o : operands) {
                        String body = Integer.toString(o[0] * 3 + o[1]);
                        all.add(ascii("POST /baseline11?a=" + o[0] + "&b=" + o[1] + HEAD + (this == BASELINE_POST
                                ? "Content-Length: " + body.length() + "\r\n\r\n" + body
                                : "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body
                                        + "\r\n0\r\n\r\n")));
                    }
                }
                case PIPELINE -> all.add(ascii("GET /pipeline" + HEAD + "\r\n"));
                case JSON -> {
                    int[] counts = {1, 5, 10, 20, 25, 40, 50, 50};
                    for (int i = 0; i < counts.length; i++) {
                        all.add(ascii("GET /json/" + counts[i] + "?m=" + (i + 1) + HEAD + "Accept-Encoding: gzip, deflate, br\r\n\r\n"));
                    }
                }
                case UPLOAD -> {
                    for (int size : new int[] {500 << 10, 2 << 20, 8 << 20, 20 << 20}) {
                        byte[] head = ascii("POST /upload" + HEAD + "Content-Type: application/octet-stream\r\n"
                                + "Content-Length: " + size + "\r\n\r\n");
                        byte[] request = Arrays.copyOf(head, head.length + size);
                        for (int i = head.length; i < request.length; i++) {
                            request[i] = (byte) ('a' + i % 26);
                        }
                        all.add(request);
                    }
                }
                case STATIC -> {
                    for (String file : staticFiles(data)) {
                        all.add(ascii("GET /static/" + file + HEAD + "Accept-Encoding: br, gzip\r\n\r\n"));
                    }
                }
            }
            return all;
        }
    }

    /** The sample data of {@code ./uring4j arena}, which the arena servers of servers.txt are started with. */
    static Path sampleData(BenchEnv env) {
        return env.root().resolve("uring4j-examples/arena");
    }

    /** The names of the files under {@code data/static}, sorted, without the precompressed siblings. */
    static List<String> staticFiles(Path data) {
        Path dir = data.resolve("static");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(name -> !name.endsWith(".gz") && !name.endsWith(".br")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the static files of the arena sample in " + dir, e);
        }
    }

    static boolean matches(String id) {
        return id.startsWith("arena-");
    }

    static ArenaCell parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an arena cell id: " + id + " (expected e.g. arena-json-c64)");
        }
        return new ArenaCell(Workload.named(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String id() {
        return "arena-" + workload.name + "-c" + conns;
    }

    @Override
    public String protocol() {
        return workload == Workload.STATIC ? "arena-static" : "arena";
    }

    @Override
    public String title() {
        return "Arena " + workload.title + ", " + conns + " conns (http_load)";
    }

    @Override
    public List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS) {
        List<String> command = new ArrayList<>(List.of(env.tool("http_load").toString(), "--port", Integer.toString(port),
                "--conns", Integer.toString(conns), "--depth", Integer.toString(workload.depth),
                "--warmup", Double.toString(warmupS), "--duration", Double.toString(durationS)));
        for (Path file : requestFiles(env)) {
            command.addAll(List.of("--request", file.toString()));
        }
        return command;
    }

    /** The rotation as files beside the C programs, written when missing or different. */
    private List<Path> requestFiles(BenchEnv env) {
        Path dir = env.nativeDir().resolve("arena-requests");
        List<Path> files = new ArrayList<>();
        List<byte[]> requests = workload.requests(sampleData(env));
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < requests.size(); i++) {
                Path file = dir.resolve(workload.name + "-" + i + ".http");
                byte[] request = requests.get(i);
                if (!Files.exists(file) || Files.size(file) != request.length || !Arrays.equals(Files.readAllBytes(file), request)) {
                    try (OutputStream out = Files.newOutputStream(file)) {
                        out.write(request);
                    }
                }
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the arena requests under " + dir, e);
        }
        return files;
    }

    @Override
    public Optional<String> whyUnavailable(BenchEnv env) {
        if (!Files.exists(env.tool("http_load"))) {
            return Optional.of(env.whyMissing("http_load"));
        }
        Path statics = sampleData(env).resolve("static");
        return workload == Workload.STATIC && !Files.isDirectory(statics)
                ? Optional.of("the arena sample's static files are missing (" + statics + ")") : Optional.empty();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
