package dev.uring4j.ring;

import java.util.StringJoiner;

/** Renders flag words as the kernel header's names, for error messages and diagnostics. */
public final class FlagNames {
    private FlagNames() {}

    private static final String[] SETUP = {
        "IORING_SETUP_IOPOLL", "IORING_SETUP_SQPOLL", "IORING_SETUP_SQ_AFF", "IORING_SETUP_CQSIZE",
        "IORING_SETUP_CLAMP", "IORING_SETUP_ATTACH_WQ", "IORING_SETUP_R_DISABLED", "IORING_SETUP_SUBMIT_ALL",
        "IORING_SETUP_COOP_TASKRUN", "IORING_SETUP_TASKRUN_FLAG", "IORING_SETUP_SQE128", "IORING_SETUP_CQE32",
        "IORING_SETUP_SINGLE_ISSUER", "IORING_SETUP_DEFER_TASKRUN", "IORING_SETUP_NO_MMAP",
        "IORING_SETUP_REGISTERED_FD_ONLY", "IORING_SETUP_NO_SQARRAY", "IORING_SETUP_HYBRID_IOPOLL",
        "IORING_SETUP_CQE_MIXED",
    };

    private static final String[] CQE = {
        "IORING_CQE_F_BUFFER", "IORING_CQE_F_MORE", "IORING_CQE_F_SOCK_NONEMPTY", "IORING_CQE_F_NOTIF",
        "IORING_CQE_F_BUF_MORE", "IORING_CQE_F_SKIP", null, null, null, null, null, null, null, null, null,
        "IORING_CQE_F_32",
    };

    private static final String[] FEAT = {
        "IORING_FEAT_SINGLE_MMAP", "IORING_FEAT_NODROP", "IORING_FEAT_SUBMIT_STABLE", "IORING_FEAT_RW_CUR_POS",
        "IORING_FEAT_CUR_PERSONALITY", "IORING_FEAT_FAST_POLL", "IORING_FEAT_POLL_32BITS",
        "IORING_FEAT_SQPOLL_NONFIXED", "IORING_FEAT_EXT_ARG", "IORING_FEAT_NATIVE_WORKERS",
        "IORING_FEAT_RSRC_TAGS", "IORING_FEAT_CQE_SKIP", "IORING_FEAT_LINKED_FILE", "IORING_FEAT_REG_REG_RING",
        "IORING_FEAT_RECVSEND_BUNDLE", "IORING_FEAT_MIN_TIMEOUT", "IORING_FEAT_RW_ATTR", "IORING_FEAT_NO_IOWAIT",
    };

    /**
     * {@code IORING_SETUP_*} names joined with {@code |}.
     *
     * @param flags setup flags
     * @return their names, {@code 1<<n} for bits the header does not name, {@code "0"} for none
     */
    public static String setup(int flags) {
        return render(flags, SETUP);
    }

    /**
     * {@code IORING_CQE_F_*} names joined with {@code |}; the buffer id bits are left out.
     *
     * @param flags a completion's flags
     * @return their names, {@code 1<<n} for bits the header does not name, {@code "0"} for none
     */
    public static String cqe(int flags) {
        return render(flags & 0xFFFF, CQE);
    }

    /**
     * {@code IORING_FEAT_*} names joined with {@code |}.
     *
     * @param flags feature bits
     * @return their names, {@code 1<<n} for bits the header does not name, {@code "0"} for none
     */
    public static String features(int flags) {
        return render(flags, FEAT);
    }

    private static String render(int flags, String[] names) {
        if (flags == 0) {
            return "0";
        }
        StringJoiner joiner = new StringJoiner("|");
        for (int bit = 0; bit < 32; bit++) {
            if ((flags & (1 << bit)) != 0) {
                joiner.add(bit < names.length && names[bit] != null ? names[bit] : "1<<" + bit);
            }
        }
        return joiner.toString();
    }
}
