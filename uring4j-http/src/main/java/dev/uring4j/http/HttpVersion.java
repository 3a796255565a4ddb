package dev.uring4j.http;

/** The protocol version of a request. Any {@code HTTP/1.x} with x of 1 or more is treated as 1.1. */
public enum HttpVersion {
    /** HTTP/1.0: the connection closes after the response unless the request asks to keep it. */
    HTTP_1_0,
    /** HTTP/1.1: persistent connections by default, chunked coding, Host required. */
    HTTP_1_1
}
