package dev.uring4j.http.jdk;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;

/**
 * The JDK's HTTP server API ({@code com.sun.net.httpserver}) on uring4j: an application written
 * against {@link HttpServer} runs on uring4j's event loops and HTTP engine unchanged, chosen with
 * {@code -Dcom.sun.net.httpserver.HttpServerProvider=dev.uring4j.http.jdk.UringHttpServerProvider}
 * or a service file of the application's own; the jar does not register itself, so its presence
 * alone switches nothing.
 *
 * <p><b>Supported.</b> {@code HttpServer}: {@code create}, {@code bind} (bound at once, so
 * {@code getAddress} has the port; requests that arrive before {@code start} wait for it),
 * {@code createContext} and {@code removeContext} with the JDK's matching (the longest context path
 * that is a prefix of the request URI's decoded path, compared as strings), {@code setExecutor},
 * {@code start}, {@code stop(delay)} (waits up to {@code delay} seconds for exchanges in progress,
 * then closes; connections are still accepted meanwhile), {@code getAddress}. {@code HttpContext}:
 * handler, path, attributes, filters ({@link com.sun.net.httpserver.Filter.Chain}), authenticator
 * (as the JDK's authentication filter: {@code Retry} and {@code Failure} send their status).
 * {@code HttpExchange}: method, URI, request headers (the JDK's {@code Headers}, read-only), request
 * body, {@code sendResponseHeaders} with the JDK's lengths (above 0 fixed, 0 chunked, -1 no body),
 * response headers and body, addresses, protocol, attributes (the context's, as in the JDK),
 * {@code setStreams}, principal, {@code close}.
 *
 * <p><b>Different.</b> Handlers run on the executor set with {@code setExecutor}, by default a new
 * virtual thread per exchange (the JDK's default is its single dispatcher thread), so handlers may
 * block without holding up other exchanges. Responses are framed by uring4j: {@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection} and {@code Date} set by the application are
 * replaced by the engine's (so {@code Connection: close} from a handler does not close the
 * connection), interim {@code 1xx} statuses are refused with an {@code IOException}, and a
 * {@code HEAD} response carries the length the handler gave. A handler that throws, or an exchange
 * closed before its headers were sent, gets the client a {@code 500}, where the JDK drops the
 * connection. uring4j's limits apply (request line 8 KiB, header section 16 KiB, 100 fields; bodies
 * of any size), as do its timeouts. Requests are answered in order on pipelined connections.
 *
 * <p><b>HTTPS.</b> {@code HttpsServer} runs on uring4j's TLS, set up when the server starts from the
 * {@code HttpsConfigurator}: its {@code SSLContext}, and the protocols (TLS 1.2 and 1.3 only), cipher
 * suites and client authentication its {@code configure} chooses. {@code configure} is called once
 * for all clients, with no client address. The server listens from {@code start} on, so
 * {@code getAddress} has the ephemeral port only then. {@code HttpsExchange.getSSLSession} is the
 * connection's session.
 *
 * <p><b>Not supported.</b> The {@code sun.net.httpserver.*} system properties; an executor that runs
 * tasks in the calling thread (the exchange would block the event loop that feeds it).
 */
public final class UringHttpServerProvider extends HttpServerProvider {
    /** Called by the JDK's provider lookup. */
    public UringHttpServerProvider() {
    }

    @Override
    public HttpServer createHttpServer(InetSocketAddress addr, int backlog) throws IOException {
        return bound(new UringHttpServer(), addr, backlog);
    }

    @Override
    public HttpsServer createHttpsServer(InetSocketAddress addr, int backlog) throws IOException {
        return bound(new UringHttpsServer(), addr, backlog);
    }

    /** As {@code HttpServer.create}: bound to {@code addr} unless it is null. */
    private static <S extends HttpServer> S bound(S server, InetSocketAddress addr, int backlog) throws IOException {
        if (addr != null) {
            server.bind(addr, backlog);
        }
        return server;
    }
}
