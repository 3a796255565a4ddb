package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing by method and path: exact and prefix paths, HEAD from GET, 404 and 405 with Allow. */
class RouterTest {
    private static HttpHandler says(String what) {
        return (req, res) -> res.send(what.getBytes());
    }

    private static final Router ROUTER = Router.builder()
            .get("/", says("root"))
            .get("/items", says("list"))
            .post("/items", says("create"))
            .route("HEAD", "/explicit", says("head route"))
            .get("/explicit", says("get route"))
            .get("/static/*", says("static"))
            .delete("/items/*", says("delete"))
            .build();

    private static List<Responses.Response> ask(String... requests) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(ROUTER).build());
        boolean[] head = new boolean[requests.length];
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < requests.length; i++) {
            head[i] = requests[i].startsWith("HEAD ");
            all.append(requests[i]).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        t.receive(all.toString());
        return Responses.finals(t.output(), false, head);
    }

    private static String answer(String request) {
        Responses.Response r = ask(request).getFirst();
        return r.status() + " " + r.bodyText();
    }

    @Test
    void routesByMethodAndExactPathIgnoringTheQuery() {
        assertEquals("200 root", answer("GET /"));
        assertEquals("200 list", answer("GET /items?page=2"));
        assertEquals("200 create", answer("POST /items"));
        assertEquals("200 list", answer("GET http://a/items"), "absolute-form routes by its path");
        assertEquals("404 404 Not Found\n", answer("GET /itemsx"));
        assertEquals("404 404 Not Found\n", answer("GET /ITEMS"), "paths are case-sensitive");
    }

    @Test
    void prefixRoutesMatchEverythingBelowThem() {
        assertEquals("200 static", answer("GET /static/css/site.css"));
        assertEquals("200 static", answer("GET /static/"));
        assertEquals("404 404 Not Found\n", answer("GET /static"));
        assertEquals("404 404 Not Found\n", answer("GET /staticfile"));
        assertEquals("200 delete", answer("DELETE /items/42"));
    }

    @Test
    void aKnownPathWithAnotherMethodGets405WithAllow() {
        Responses.Response r = ask("PUT /items").getFirst();
        assertEquals(405, r.status());
        assertEquals("GET, HEAD, POST", r.header("Allow"));
        assertEquals("HEAD, GET", ask("POST /explicit").getFirst().header("Allow"));
        assertEquals("DELETE", ask("GET /items/7").getFirst().header("Allow"), "a prefix route's path counts too");
    }

    @Test
    void headUsesTheGetRouteUnlessThereIsAHeadRoute() {
        List<Responses.Response> r = ask("HEAD /items", "HEAD /explicit", "GET /explicit");
        assertEquals("4", r.get(0).header("Content-Length"), "GET /items's length, no body");
        assertEquals("10", r.get(1).header("Content-Length"), "the HEAD route answered");
        assertEquals("get route", r.get(2).bodyText());
    }

    @Test
    void routesMustBeWellFormed() {
        Router.Builder b = Router.builder();
        assertThrows(IllegalArgumentException.class, () -> b.get("items", says("x")));
        assertThrows(IllegalArgumentException.class, () -> b.get("/a?b", says("x")));
        assertThrows(IllegalArgumentException.class, () -> b.get("/a b", says("x")));
        assertThrows(IllegalArgumentException.class, () -> b.route("GE T", "/", says("x")));
        assertThrows(NullPointerException.class, () -> b.get("/", null));
    }
}
