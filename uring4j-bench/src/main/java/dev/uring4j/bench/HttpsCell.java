package dev.uring4j.bench;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTPS cell: {@code GET /plaintext} over TLS with wrk (OpenSSL), the same load tool for every
 * server. {@code https-plaintext-c64}: keep-alive, one request in flight per connection, so the
 * cell measures the record layer; {@code https-handshake-c64}: every request on a new connection
 * ({@code Connection: close}), so the rate is handshakes per second (wrk does not resume sessions).
 * The servers all use TLS 1.3 with {@code TLS_AES_128_GCM_SHA256} and an EC P-256 certificate.
 */
record HttpsCell(int conns, boolean handshakes) implements Cell {
    private static final Pattern ID = Pattern.compile("https-(plaintext|handshake)-c(\\d+)");

    static boolean matches(String id) {
        return id.startsWith("https-");
    }

    static HttpsCell parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an HTTPS cell id: " + id + " (expected https-plaintext-c64 or https-handshake-c64)");
        }
        return new HttpsCell(Integer.parseInt(m.group(2)), m.group(1).equals("handshake"));
    }

    @Override
    public String id() {
        return "https-" + (handshakes ? "handshake" : "plaintext") + "-c" + conns;
    }

    @Override
    public String protocol() {
        return "https";
    }

    @Override
    public String title() {
        return handshakes ? "HTTPS, a new connection and handshake per request, " + conns + " conns (wrk)"
                : "HTTPS keep-alive plaintext, " + conns + " conns (wrk)";
    }

    @Override
    public List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS) {
        return List.of(env.root().resolve("uring4j-bench/scripts/http_load.sh").toString(), "--path", "/plaintext",
                "--scheme", "https", "--close", handshakes ? "1" : "0",
                "--port", Integer.toString(port), "--conns", Integer.toString(conns), "--depth", "1",
                "--warmup", Double.toString(warmupS), "--duration", Double.toString(durationS));
    }

    @Override
    public Optional<String> whyUnavailable(BenchEnv env) {
        return Files.exists(env.tool("wrk")) ? Optional.empty() : Optional.of(env.whyMissing("wrk"));
    }
}
