package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Methods are recognised the same whether the request line is taken whole or octet by octet: a
 * standard method is its constant name (nothing allocated), any other token its own text, including
 * tokens that start like a standard one or are longer than a word.
 */
class MethodsTest {
    private static final List<String> STANDARD = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    private static final List<String> OTHERS = List.of("G", "GE", "GETS", "get", "POSTS", "PROPFIND", "MKCALENDAR", "OPTIONSX");

    @Test
    void standardMethodsAreTheirConstantsAndOthersTheirText() {
        for (boolean whole : new boolean[] {true, false}) {
            for (String method : STANDARD) {
                if (!method.equals("CONNECT")) { // refused before any handler sees it
                    assertSame(method, methodSeen(method, whole), method + (whole ? " whole" : " octet by octet"));
                }
            }
            for (String method : OTHERS) {
                String seen = methodSeen(method, whole);
                assertEquals(method, seen, whole ? "whole" : "octet by octet");
                assertNotSame(method, seen);
            }
        }
    }

    private static String methodSeen(String method, boolean whole) {
        List<String> seen = new ArrayList<>();
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder((request, response) -> {
            seen.add(request.method());
            response.send();
        }).build());
        byte[] request = (method + " /m HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        if (whole) {
            t.receive(request, 0, request.length);
        } else {
            for (int i = 0; i < request.length; i++) {
                t.receive(request, i, 1);
            }
        }
        assertEquals(1, seen.size(), method);
        return seen.getFirst();
    }
}
