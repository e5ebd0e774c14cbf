package io.pel.server.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test fixture: a real HTTP receiver on 127.0.0.1 that records every request, and answers 500 to the first
 * {@code failFirst} of them (after recording them — as a receiver that acted on an event and then failed).
 */
final class TestReceiver implements AutoCloseable {

    record Request(Map<String, List<String>> headers, byte[] body, int answered) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final AtomicInteger toFail;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Event ids answered with 200. */
    final Set<String> accepted = ConcurrentHashMap.newKeySet();

    private TestReceiver(int port, int failFirst) throws IOException {
        toFail = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/hook", this::handle);
        server.start();
    }

    static TestReceiver start(int failFirst) throws IOException {
        return new TestReceiver(0, failFirst);
    }

    /** A receiver on a given port: to bring up one that was down. */
    static TestReceiver startOn(int port, int failFirst) throws IOException {
        return new TestReceiver(port, failFirst);
    }

    /** A loopback port nothing listens on (a receiver that is down), until someone binds it. */
    static int freePort() throws IOException {
        // A plain socket: an HttpServer that was never started keeps its port bound after stop().
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port + "/hook");
    }

    URI url() {
        return url(server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int status = toFail.getAndDecrement() > 0 ? 500 : 200;
        requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()), body, status));
        if (status == 200) {
            accepted.add(exchange.getRequestHeaders().getFirst(Webhooks.EVENT_ID_HEADER));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
