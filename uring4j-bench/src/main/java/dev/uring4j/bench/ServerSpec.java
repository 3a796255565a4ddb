package dev.uring4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One server of the comparison, as listed in {@code servers.txt}: the list is data, so adding a
 * peer (or an HTTP or UDP server for a later cell kind) is a line, not code.
 *
 * @param name     short id used on the command line ({@code --servers}) and in results.json
 * @param subject  true for uring4j, whose ratio to the best peer is the point of the table
 * @param protocols the cell kinds it serves ({@code echo}; a server that answers two kinds' requests, such
 *                  as the arena application's endpoints and its static files, lists both)
 * @param java     true when launched as {@code ${JAVA} ${JVM_FLAGS} command...}
 * @param label    what the table and charts call it
 * @param command  the command's tokens with {@code ${...}} placeholders not yet substituted (the
 *                 HTTPS servers' {@code ${TLS_CERT}} and {@code ${TLS_KEY}} are made when first asked for)
 * @param byDefault false for a variant (uring4j with one io_uring path turned off, to show what
 *                  that path gains or costs) and an extra peer: measured only when named in {@code --servers}
 */
record ServerSpec(String name, boolean subject, List<String> protocols, boolean java, String label, List<String> command,
                  boolean byDefault) {

    static List<ServerSpec> catalog() throws IOException {
        try (InputStream in = ServerSpec.class.getResourceAsStream("servers.txt")) {
            if (in == null) {
                throw new IOException("servers.txt is missing from the bench jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static List<ServerSpec> parse(String text) {
        List<ServerSpec> specs = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\|");
            if (f.length != 6) {
                throw new IllegalArgumentException("servers.txt line " + (i + 1) + ": expected 6 fields separated by |, got " + f.length);
            }
            String role = f[1].strip(), launcher = f[3].strip();
            if (!role.equals("subject") && !role.equals("peer") && !role.equals("variant") && !role.equals("extra")
                    || !launcher.equals("java") && !launcher.equals("native")) {
                throw new IllegalArgumentException("servers.txt line " + (i + 1)
                        + ": role is subject|peer|variant|extra, launcher java|native");
            }
            specs.add(new ServerSpec(f[0].strip(), role.equals("subject") || role.equals("variant"), List.of(f[2].strip().split("\\s*,\\s*")),
                    launcher.equals("java"), f[4].strip(), Arrays.asList(f[5].strip().split("\\s+")),
                    role.equals("subject") || role.equals("peer")));
        }
        return specs;
    }

    /** Whether the cells of this kind ({@link Cell#protocol()}) are measured on this server. */
    boolean serves(String protocol) {
        return protocols.contains(protocol);
    }

    /** The full command: placeholders filled in, the JVM and its flags in front for Java servers. */
    List<String> commandLine(BenchEnv env) {
        List<String> line = new ArrayList<>();
        if (java) {
            line.add(env.java().toString());
            line.addAll(env.jvmFlags());
        }
        for (String token : command) {
            line.add(token.replace("${ROOT}", env.root().toString())
                    .replace("${NATIVE}", env.nativeDir().toString())
                    .replace("${BENCH_CP}", env.benchClasspath())
                    .replace("${TLS_CERT}", token.contains("${TLS_CERT}") ? env.tlsCertificate().toString() : "")
                    .replace("${TLS_KEY}", token.contains("${TLS_KEY}") ? env.tlsKey().toString() : ""));
        }
        return line;
    }
}
