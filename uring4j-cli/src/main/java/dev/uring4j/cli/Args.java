package dev.uring4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.uring4j.runtime.Transport;

/**
 * {@code --name value} flags of a subcommand. Unknown flags and missing values are usage errors
 * (exit status 2) that name the flag and list the known ones.
 */
final class Args {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    Args(String command, String[] args, Set<String> known) {
        this.command = command;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw usage("unknown option '" + a + "'; known: --" + String.join(", --", known));
            }
            if (SWITCHES.contains(a.substring(2))) {
                values.put(a.substring(2), "true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw usage("option " + a + " needs a value");
            }
            values.put(a.substring(2), args[++i]);
        }
    }

    /** Options that take no value: present or not. */
    private static final Set<String> SWITCHES = Set.of("tls-self-signed");

    /** Whether the switch {@code --name} was given. */
    boolean flag(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw usage("--" + name + " must be a number, was '" + v + "'");
        }
    }

    /** One of {@code choices}, case-insensitively. */
    String choice(String name, String fallback, String... choices) {
        String v = values.getOrDefault(name, fallback);
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw usage("--" + name + " must be one of " + String.join("|", choices) + ", was '" + v + "'");
    }

    /** The servers' transport option: {@code --transport auto|uring|nio}. */
    static final String TRANSPORT = "transport";

    /**
     * The value of {@code --transport}, {@link Transport#AUTO} when absent (then
     * {@code -During4j.transport} decides, as for any program).
     */
    Transport transport() {
        String v = values.get(TRANSPORT);
        if (v == null) {
            return Transport.AUTO;
        }
        try {
            return Transport.parse(v);
        } catch (IllegalArgumentException e) {
            throw usage("--" + TRANSPORT + ": " + e.getMessage());
        }
    }

    UsageError usage(String message) {
        return new UsageError("uring4j " + command + ": " + message);
    }

    /** A command-line mistake: printed, exit status 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message, null, false, false);
        }
    }
}
