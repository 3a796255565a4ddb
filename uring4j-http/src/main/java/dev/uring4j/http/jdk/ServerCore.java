package dev.uring4j.http.jdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import dev.uring4j.http.BlockingHandler;
import dev.uring4j.http.HttpRequest;
import dev.uring4j.http.HttpResponse;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.TlsConfig;

/**
 * What the JDK's {@link HttpServer} does, on uring4j, behind {@link UringHttpServer}: requests are read and answered by uring4j's HTTP engine
 * on its event loops, and each exchange is handed to the executor ({@link #setExecutor}; by default
 * a new virtual thread per exchange, where the JDK's default is its one dispatcher thread), where
 * the context's filters and handler run with blocking streams. In plaintext the server is bound at
 * {@link #bind} (or creation), and requests that arrive before {@link #start} wait for it; with TLS
 * it binds at {@code start}, since only then is the {@code HttpsConfigurator} surely set.
 */
final class ServerCore {
    private static final Executor VIRTUAL_THREAD_PER_EXCHANGE = task -> Thread.ofVirtual().name("jdk-http-exchange").start(task);

    private final HttpServer facade;
    /** The TLS settings, asked for at start; null for plaintext. */
    private final Supplier<TlsConfig> tls;
    private final List<UringHttpContext> contexts = new ArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private volatile Executor executor;
    private boolean running;
    private InetSocketAddress address;
    private int backlog;
    private TcpServer tcp;

    /**
     * @param facade the public object applications hold: an {@code HttpServer} or {@code HttpsServer}
     * @param tls the TLS settings for HTTPS, asked for at start, or null for plaintext
     */
    ServerCore(HttpServer facade, Supplier<TlsConfig> tls) {
        this.facade = facade;
        this.tls = tls;
    }

    void bind(InetSocketAddress address, int backlog) throws IOException {
        lock.lock();
        try {
            if (this.address != null) {
                throw new BindException("HttpServer already bound to " + getAddress());
            }
            this.address = address;
            this.backlog = backlog;
            if (tls == null) {
                listen();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts the TCP server with the engine; under the lock. */
    private void listen() throws IOException {
        TcpServer.Builder builder = TcpServer.builder().address(address);
        if (backlog > 0) {
            builder.backlog(backlog);
        }
        if (tls != null) {
            builder.tls(tls.get());
        }
        dev.uring4j.http.HttpServer engine = dev.uring4j.http.HttpServer.builder(
                            BlockingHandler.on(task -> currentExecutor().execute(task), this::dispatch))
                    // The JDK's server takes bodies of any size; the body streams at the handler's pace.
                .maxBodyBytes(Long.MAX_VALUE)
                .build();
        tcp = engine.serve(builder);
    }

    void start() {
        lock.lock();
        try {
            if (address == null || running) {
                throw new IllegalStateException(address == null ? "server not bound" : "server already started");
            }
            if (tcp == null) {
                listen();
            }
            running = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        started.countDown();
    }

    void setExecutor(Executor executor) {
        lock.lock();
        try {
            if (running) {
                throw new IllegalStateException("server already started");
            }
            this.executor = executor;
        } finally {
            lock.unlock();
        }
    }

    Executor getExecutor() {
        return executor;
    }

    private Executor currentExecutor() {
        Executor e = executor;
        return e != null ? e : VIRTUAL_THREAD_PER_EXCHANGE;
    }

    /** Waits up to {@code delay} seconds for the exchanges in progress to finish, then closes the server. */
    void stop(int delay) {
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay parameter");
        }
        TcpServer closing;
        lock.lock();
        try {
            long left = TimeUnit.SECONDS.toNanos(delay);
            while (inFlight > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
            closing = tcp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = tcp;
        } finally {
            lock.unlock();
        }
        if (closing != null) {
            closing.close();
        }
    }

    HttpContext createContext(String path, HttpHandler handler) {
        if (path == null) {
            throw new NullPointerException("null path parameter");
        }
        UringHttpContext context = new UringHttpContext(path, handler, facade);
        lock.lock();
        try {
            if (find(path, true) != null) {
                throw new IllegalArgumentException("cannot add context to list: " + path + " exists");
            }
            contexts.add(context);
        } finally {
            lock.unlock();
        }
        return context;
    }

    void removeContext(String path) {
        if (path == null) {
            throw new NullPointerException("null path parameter");
        }
        lock.lock();
        try {
            UringHttpContext context = find(path, true);
            if (context == null) {
                throw new IllegalArgumentException("cannot remove element from list: no context " + path);
            }
            contexts.remove(context);
        } finally {
            lock.unlock();
        }
    }

    void removeContext(HttpContext context) {
        lock.lock();
        try {
            if (!contexts.remove(context)) {
                throw new IllegalArgumentException("no such context in list");
            }
        } finally {
            lock.unlock();
        }
    }

    InetSocketAddress getAddress() {
        lock.lock();
        try {
            return tcp != null ? tcp.localAddress() : address;
        } finally {
            lock.unlock();
        }
    }

    /** As the JDK's: the context whose path is the longest prefix of {@code path}, or equals it when {@code exact}. */
    private UringHttpContext find(String path, boolean exact) {
        UringHttpContext longest = null;
        for (UringHttpContext context : contexts) {
            String prefix = context.getPath();
            if ((exact ? prefix.equals(path) : path.startsWith(prefix))
                    && (longest == null || prefix.length() > longest.getPath().length())) {
                longest = context;
            }
        }
        return longest;
    }

    /** One exchange, on the executor's thread. */
    private void dispatch(HttpRequest request, HttpResponse response) throws Exception {
        started.await();
        URI uri;
        try {
            uri = new URI(request.target());
        } catch (URISyntaxException e) {
            reject(response, 400, "URISyntaxException thrown");
            return;
        }
        UringHttpContext context;
        lock.lock();
        try {
            context = uri.getPath() == null ? null : find(uri.getPath(), false);
            if (context == null) {
                reject(response, 404, "No context found for request");
                return;
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
        try {
            if (context.getHandler() == null) {
                reject(response, 500, "No handler for context");
                return;
            }
            UringHttpExchange exchange = new UringHttpExchange(context, request, response, uri);
            HttpExchange seen = tls == null ? exchange : new UringHttpsExchange(exchange, request.tlsSession());
            if (authenticated(context.getAuthenticator(), seen, exchange)) {
                new Filter.Chain(context.getFilters(), context.getHandler()).doFilter(seen);
            }
        } finally {
            lock.lock();
            try {
                if (--inFlight == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** As the JDK's authentication filter: on success the handler runs with the principal, else the status is sent. */
    private static boolean authenticated(Authenticator authenticator, HttpExchange seen, UringHttpExchange exchange)
            throws IOException {
        if (authenticator == null) {
            return true;
        }
        switch (authenticator.authenticate(seen)) {
            case Authenticator.Success s -> {
                exchange.setPrincipal(s.getPrincipal());
                return true;
            }
            case Authenticator.Retry r -> exchange.sendResponseHeaders(r.getResponseCode(), -1);
            case Authenticator.Failure f -> exchange.sendResponseHeaders(f.getResponseCode(), -1);
            default -> throw new IllegalStateException("unknown authenticator result " + authenticator);
        }
        return false;
    }

    /** The JDK's own answer to a request it cannot route, in its words. */
    private static void reject(HttpResponse response, int status, String message) {
        String reason = switch (status) {
            case 400 -> " Bad Request";
            case 404 -> " Not Found";
            default -> " Internal Server Error";
        };
        response.status(status).header("Content-Type", "text/html")
                .send(("<h1>" + status + reason + "</h1>" + message).getBytes(StandardCharsets.ISO_8859_1));
    }
}
