package dev.uring4j.bench.peers;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line and readiness contract every benchmarked server shares, Java or C:
 * {@code [--host 127.0.0.1] --port P} (0 = ephemeral) plus server-specific flags, and exactly one
 * line {@code listening on HOST:PORT} on stdout once connections are served.
 */
public record PeerArgs(String host, int port, Map<String, String> options) {

    /** Parses {@code args}; a malformed line prints the usage and exits with status 2. */
    public static PeerArgs parse(String program, String[] args, Set<String> extraFlags) {
        String usage = "usage: " + program + " [--host 127.0.0.1] --port P"
                + (extraFlags.isEmpty() ? "" : " " + String.join(" ", extraFlags.stream().map(f -> f + " V").toList()));
        String host = "127.0.0.1";
        int port = -1;
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                exitUsage(usage, "missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> host = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        exitUsage(usage, "--port is not a number: " + value);
                    }
                    if (port < 0 || port > 65535) {
                        exitUsage(usage, "--port out of range: " + value);
                    }
                }
                default -> {
                    if (!extraFlags.contains(flag)) {
                        exitUsage(usage, "unknown argument " + flag);
                    }
                    options.put(flag, value);
                }
            }
        }
        if (port < 0) {
            exitUsage(usage, "--port is required");
        }
        return new PeerArgs(host, port, options);
    }

    /** The value of {@code flag}; when it was not given, prints that it is required and exits with status 2. */
    public String required(String flag) {
        String v = options.get(flag);
        if (v == null) {
            exitUsage("usage: " + flag + " V", flag + " is required");
        }
        return v;
    }

    /** {@code --rcvbuf BYTES} (UDP peers: every server of a cell gets the same), or {@code fallback}. */
    int rcvbuf(int fallback) {
        String v = options.get("--rcvbuf");
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            exitUsage("usage: --rcvbuf BYTES", "--rcvbuf is not a number: " + v);
            return fallback;
        }
    }

    /** The address to bind. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** Prints the readiness line for the port actually bound (the ephemeral one when 0 was asked). */
    public void announce(InetSocketAddress bound) {
        System.out.println("listening on " + host + ":" + bound.getPort());
        System.out.flush();
    }

    private static void exitUsage(String usage, String why) {
        System.err.println(why);
        System.err.println(usage);
        System.exit(2);
    }
}
