package dev.uring4j.http;

import java.util.Locale;

/**
 * Which precompressed sibling of a file to serve, by the request's {@code Accept-Encoding} (RFC 9110
 * section 12.5.3): each of {@code br}, {@code gzip} and {@code identity} gets the q-value of its own
 * entry, else of {@code *}; {@code q=0} refuses a coding. Codings are tried in falling q order, the
 * server's preference ({@code br}, then {@code gzip}) breaking ties. {@code identity}, acceptable
 * unless refused, comes after every coding the client names when it names it not; and it is the
 * last resort even when refused, since every file has it (RFC 9110 allows a response without
 * content coding then). Without the field, identity.
 */
final class ContentCodings {
    /** The codings, in the server's order of preference. */
    static final int BR = 0;
    static final int GZIP = 1;
    static final int IDENTITY = 2;
    private static final String[] TOKENS = {"br", "gzip", "identity"};
    /** The file name suffix of each coding's sibling. */
    private static final String[] SUFFIXES = {".br", ".gz", ""};
    private static final int[] IDENTITY_ONLY = {IDENTITY};

    private ContentCodings() {}

    /** The {@code Content-Encoding} token of a coding. */
    static String token(int coding) {
        return TOKENS[coding];
    }

    /** The suffix of a coding's sibling file ({@code ".br"}), empty for identity. */
    static String suffix(int coding) {
        return SUFFIXES[coding];
    }

    /** The codings to try for {@code acceptEncoding} (all its field lines joined, or {@code null}). */
    static int[] order(String acceptEncoding) {
        if (acceptEncoding == null) {
            return IDENTITY_ONLY;
        }
        int[] q = {-1, -1, -1}; // thousandths; -1 = not named
        int star = -1;
        for (String element : acceptEncoding.split(",")) {
            String e = element.trim();
            if (e.isEmpty()) {
                continue;
            }
            int semi = e.indexOf(';');
            String coding = (semi < 0 ? e : e.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            int value = semi < 0 ? 1000 : qvalue(e.substring(semi + 1));
            if (coding.equals("*")) {
                star = value;
            } else {
                int c = coding.equals("x-gzip") ? GZIP : indexOf(coding);
                if (c >= 0) {
                    q[c] = value;
                }
            }
        }
        for (int c = 0; c < q.length; c++) {
            if (q[c] < 0) {
                q[c] = Math.max(star, 0); // an unnamed identity is appended below
            }
        }
        int[] order = new int[3];
        int n = 0;
        // At most three: a selection by falling q, ties going to the earlier (preferred) coding.
        boolean[] taken = new boolean[3];
        for (int round = 0; round < 3; round++) {
            int best = -1;
            for (int c = 0; c < 3; c++) {
                if (!taken[c] && q[c] > 0 && (best < 0 || q[c] > q[best])) {
                    best = c;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            order[n++] = best;
        }
        if (!taken[IDENTITY]) {
            order[n++] = IDENTITY;
        }
        return n == 3 ? order : java.util.Arrays.copyOf(order, n);
    }

    private static int indexOf(String coding) {
        for (int c = 0; c < TOKENS.length; c++) {
            if (TOKENS[c].equals(coding)) {
                return c;
            }
        }
        return -1;
    }

    /** The q parameter of {@code params} in thousandths; a malformed one refuses the coding (0). */
    private static int qvalue(String params) {
        for (String p : params.split(";")) {
            String t = p.trim();
            if (t.length() < 2 || Character.toLowerCase(t.charAt(0)) != 'q' || t.charAt(1) != '=') {
                continue;
            }
            String v = t.substring(2).trim();
            if (!v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
                return 0;
            }
            double d = Double.parseDouble(v.endsWith(".") ? v + "0" : v);
            return (int) Math.round(d * 1000);
        }
        return 1000;
    }
}
