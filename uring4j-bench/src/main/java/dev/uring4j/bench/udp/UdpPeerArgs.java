package dev.uring4j.bench.udp;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line every UDP peer shares: {@code [--host 127.0.0.1] --port P [--rcvbuf BYTES]}
 * plus its own flags; prints the usage and exits with status 2 on a mistake. Every server of the
 * cell gets the same {@code --rcvbuf} (see docs/BENCHMARKS.md, "UDP", for how it is sized).
 */
record UdpPeerArgs(String host, int port, int rcvbuf, Map<String, String> options) {

    static UdpPeerArgs parse(String program, String[] args, Set<String> extra) {
        String host = "127.0.0.1";
        int port = -1;
        int rcvbuf = 4 << 20;
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                exit(program, extra, "missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = number(program, extra, v);
                case "--rcvbuf" -> rcvbuf = number(program, extra, v);
                default -> {
                    if (!extra.contains(args[i])) {
                        exit(program, extra, "unknown argument " + args[i]);
                    }
                    options.put(args[i], v);
                }
            }
        }
        if (port < 0 || port > 65535) {
            exit(program, extra, "--port is required (0..65535)");
        }
        return new UdpPeerArgs(host, port, rcvbuf, options);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** The readiness line, with the port actually bound. */
    void announce(InetSocketAddress bound) {
        System.out.println("listening on " + host + ":" + bound.getPort());
        System.out.flush();
    }

    private static int number(String program, Set<String> extra, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            exit(program, extra, "not a number: " + v);
            return -1;
        }
    }

    private static void exit(String program, Set<String> extra, String why) {
        System.err.println(program + ": " + why);
        System.err.println("usage: " + program + " [--host 127.0.0.1] --port P [--rcvbuf BYTES]"
                + (extra.isEmpty() ? "" : " " + String.join(" ", extra.stream().map(f -> "[" + f + " V]").toList())));
        System.exit(2);
    }
}
