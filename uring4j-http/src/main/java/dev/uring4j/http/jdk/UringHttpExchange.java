package dev.uring4j.http.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import dev.uring4j.http.HttpHeaders;
import dev.uring4j.http.HttpRequest;
import dev.uring4j.http.HttpResponse;
import dev.uring4j.http.HttpVersion;

/**
 * One exchange of {@link UringHttpServer}, on the thread its handler runs on: the request from
 * uring4j's copy of the head and its blocking body stream, the response through uring4j's
 * {@link HttpResponse} and its blocking output stream. {@link #sendResponseHeaders} means what it
 * means to the JDK: a length above 0 is fixed, 0 chunked, -1 no body (and the exchange closes).
 */
final class UringHttpExchange extends HttpExchange {
    /** Fields the engine writes itself: framing, persistence, the date. */
    private static final Set<String> ENGINE_FIELDS = Set.of("content-length", "transfer-encoding", "connection", "date");

    private final UringHttpContext context;
    private final HttpRequest request;
    private final HttpResponse response;
    private final URI uri;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private final ResponseBody responseBody = new ResponseBody();
    private InputStream in;
    private OutputStream out = responseBody;
    private int code = -1;
    private HttpPrincipal principal;
    private boolean closed;

    UringHttpExchange(UringHttpContext context, HttpRequest request, HttpResponse response, URI uri) {
        this.context = context;
        this.request = request;
        this.response = response;
        this.uri = uri;
        this.requestHeaders = Headers.of(copy(request.headers()));
        this.in = request.body();
    }

    private static Headers copy(HttpHeaders fields) {
        Headers copy = new Headers();
        for (int i = 0; i < fields.size(); i++) {
            copy.add(fields.name(i), fields.value(i));
        }
        return copy;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    /** Ends the exchange: the rest of the request body is discarded, the response body ends. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
            if (code < 0) {
                // The JDK drops the connection here; the engine cannot, so it says what happened.
                sendResponseHeaders(500, -1);
            }
            out.close();
        } catch (IOException e) {
            System.getLogger(UringHttpExchange.class.getName()).log(System.Logger.Level.DEBUG, "closing an exchange", e);
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (code >= 0) {
            throw new IOException("headers already sent");
        }
        try {
            response.status(rCode);
            for (Map.Entry<String, List<String>> field : responseHeaders.entrySet()) {
                if (!ENGINE_FIELDS.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                    for (String value : field.getValue()) {
                        response.header(field.getKey(), value);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        code = rCode;
        boolean bodyless = rCode == 204 || rCode == 304 || "HEAD".equals(request.method());
        if (responseLength < 0 || bodyless) {
            response.send();
            responseBody.open(null);
            if (responseLength < 0) {
                close();
            }
        } else {
            // 0 means chunked to the JDK, -1 to the stream.
            responseBody.open(response.outputStream(responseLength == 0 ? -1 : responseLength));
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return request.localAddress();
    }

    @Override
    public String getProtocol() {
        return request.version() == HttpVersion.HTTP_1_1 ? "HTTP/1.1" : "HTTP/1.0";
    }

    /** As the JDK's: the context's attributes. */
    @Override
    public Object getAttribute(String name) {
        return context.getAttributes().get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            context.getAttributes().remove(name);
        } else {
            context.getAttributes().put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    void setPrincipal(HttpPrincipal principal) {
        this.principal = principal;
    }

    /**
     * The response body as the application sees it: refused until the headers are sent, then
     * uring4j's blocking stream, or nothing for a response without a body.
     */
    private static final class ResponseBody extends OutputStream {
        private boolean open;
        private OutputStream body;

        void open(OutputStream body) {
            this.open = true;
            this.body = body;
        }

        private OutputStream body() throws IOException {
            if (!open) {
                throw new IOException("response headers not sent yet");
            }
            if (body == null) {
                throw new IOException("this response has no body: sendResponseHeaders was given -1, a 204 or 304, "
                        + "or the request was HEAD");
            }
            return body;
        }

        @Override
        public void write(int b) throws IOException {
            body().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            body().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (body != null) {
                body.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (body != null) {
                body.close();
            }
        }
    }
}
