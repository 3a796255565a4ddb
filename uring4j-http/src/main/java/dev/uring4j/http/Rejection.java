package dev.uring4j.http;

/**
 * Why the engine refused a request, with the status it answers. Every rejection is followed by
 * closing the connection: after malformed framing nothing later on the connection can be trusted
 * to start where a request starts. {@code docs/HTTP.md} lists the table.
 */
enum Rejection {
    REQUEST_LINE_TOO_LONG(414, "request line longer than the limit"),
    HEADER_SECTION_TOO_LARGE(431, "header section larger than the limit"),
    TOO_MANY_HEADER_FIELDS(431, "more header fields than the limit"),
    TRAILER_SECTION_TOO_LARGE(431, "trailer section larger than the limit"),
    TOO_MANY_TRAILER_FIELDS(431, "more trailer fields than the limit"),
    BODY_TOO_LARGE(413, "request body larger than the limit"),
    UNSUPPORTED_TRANSFER_CODING(501, "transfer coding other than chunked"),
    CONNECT_NOT_SUPPORTED(501, "CONNECT is not supported"),
    VERSION_NOT_SUPPORTED(505, "HTTP major version other than 1"),
    EXPECTATION_FAILED(417, "expectation other than 100-continue"),
    HEADER_TIMEOUT(408, "request header not received in time"),
    BODY_TIMEOUT(408, "request body not received in time"),

    TOO_MANY_EMPTY_LINES(400, "more empty lines before a request line than the request line limit"),
    BAD_METHOD(400, "invalid method token"),
    BAD_REQUEST_LINE(400, "malformed request line"),
    BAD_TARGET(400, "invalid request target"),
    BAD_VERSION(400, "malformed HTTP version"),
    BAD_LINE_ENDING(400, "line not terminated by CRLF (bare CR or LF)"),
    WHITESPACE_BEFORE_FIRST_FIELD(400, "whitespace between the request line and the first header field"),
    OBS_FOLD(400, "obsolete line folding (obs-fold) in a field"),
    WHITESPACE_BEFORE_COLON(400, "whitespace between a field name and the colon"),
    BAD_FIELD_NAME(400, "invalid field name"),
    BAD_FIELD_VALUE(400, "control character in a field value"),
    BAD_CONTENT_LENGTH(400, "malformed Content-Length"),
    DUPLICATE_CONTENT_LENGTH(400, "more than one Content-Length"),
    CONTENT_LENGTH_WITH_TRANSFER_ENCODING(400, "both Content-Length and Transfer-Encoding"),
    BAD_TRANSFER_ENCODING(400, "malformed Transfer-Encoding"),
    CHUNKED_NOT_FINAL(400, "chunked is not the final transfer coding, so the body length is unknown"),
    TRANSFER_ENCODING_IN_HTTP_1_0(400, "Transfer-Encoding in an HTTP/1.0 request"),
    MISSING_HOST(400, "HTTP/1.1 request without Host"),
    DUPLICATE_HOST(400, "more than one Host"),
    BAD_HOST(400, "invalid Host"),
    BAD_CHUNK_SIZE(400, "invalid chunk size"),
    CHUNK_SIZE_OVERFLOW(400, "chunk size overflows"),
    BAD_CHUNK_EXTENSION(400, "malformed chunk extension"),
    CHUNK_LINE_TOO_LONG(400, "chunk size line longer than " + ChunkedDecoder.MAX_CHUNK_LINE_BYTES + " bytes"),
    BAD_CHUNK_TERMINATOR(400, "chunk data not followed by CRLF"),

    HANDLER_FAILED(500, "the request handler failed");

    final int status;
    final String reason;
    /** The response body: status, reason phrase and what was wrong, one line of text. */
    final byte[] body;

    Rejection(int status, String reason) {
        this.status = status;
        this.reason = reason;
        this.body = Ascii.bytes(status + " " + StatusLine.reasonPhrase(status) + ": " + reason + "\n");
    }
}
