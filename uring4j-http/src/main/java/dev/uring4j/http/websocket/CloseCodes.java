package dev.uring4j.http.websocket;

/** The close codes of RFC 6455 section 7.4 that the session sends or checks. */
final class CloseCodes {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int UNSUPPORTED_DATA = 1003;
    /** Reported locally only: the close frame carried no code. Never sent. */
    static final int NO_STATUS = 1005;
    /** Reported locally only: the connection ended without a close frame. Never sent. */
    static final int ABNORMAL = 1006;
    static final int INVALID_DATA = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }

    /**
     * Whether a peer may send {@code code} in a close frame: the codes RFC 6455 defines for the
     * wire (1000..1003, 1007..1011), those registered since (1012..1014), and the ranges for
     * libraries and applications (3000..4999). 1004, 1005, 1006 and 1015 are reserved or local only.
     */
    static boolean valid(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
