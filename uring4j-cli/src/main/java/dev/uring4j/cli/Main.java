package dev.uring4j.cli;

import java.util.Arrays;

import dev.uring4j.ring.Probe;

/**
 * The Java side of {@code ./uring4j}: the subcommands that run a program (the script itself
 * handles build, test and bench). Exit status 2 means a usage error.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "probe" -> probe(rest);
            case "help", "--help", "-h" -> usage();
            default -> {
                System.err.println("uring4j: unknown command '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void probe(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: uring4j probe");
            System.exit(2);
        }
        System.out.print(Probe.current().report());
    }

    private static void usage() {
        System.err.println("""
                usage: uring4j <command> [options]
                  probe                 io_uring features of this kernel and which ones uring4j uses""");
    }
}
