package dev.uring4j.http.jdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import dev.uring4j.runtime.TlsConfig;

/**
 * The {@link HttpServer} that {@link UringHttpServerProvider} makes; the work is done by
 * {@link ServerCore}. {@link UringHttpsServer} wraps one.
 */
final class UringHttpServer extends HttpServer {
    private final ServerCore core;

    UringHttpServer() {
        core = new ServerCore(this, null);
    }

    /** The server inside an {@code HttpsServer}: contexts belong to {@code facade}; TLS as {@code tls} says at start. */
    UringHttpServer(HttpServer facade, Supplier<TlsConfig> tls) {
        core = new ServerCore(facade, tls);
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        core.bind(addr, backlog);
    }

    @Override
    public void start() {
        core.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        core.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return core.getExecutor();
    }

    @Override
    public void stop(int delay) {
        core.stop(delay);
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        if (handler == null) {
            throw new NullPointerException("null handler, or path parameter");
        }
        return core.createContext(path, handler);
    }

    @Override
    public HttpContext createContext(String path) {
        return core.createContext(path, null);
    }

    @Override
    public void removeContext(String path) {
        core.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        core.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return core.getAddress();
    }
}
