/**
 * TLS measured the same way for uring4j and for Netty over the JDK's {@code SSLEngine}: the bytes
 * a server allocates per keep-alive HTTPS request, and the memory an idle TLS connection holds
 * ({@link dev.uring4j.bench.tls.TlsBench}, run by {@code uring4j-bench/scripts/tls.sh}).
 */
package dev.uring4j.bench.tls;
