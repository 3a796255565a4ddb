/**
 * A strict HTTP/1.1 server on the uring4j runtime: {@code HttpServer}, a {@code Router}, and the
 * request and response types handlers see.
 */
module dev.uring4j.http {
    requires transitive dev.uring4j.runtime;

    exports dev.uring4j.http;
}
