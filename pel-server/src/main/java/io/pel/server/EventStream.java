package io.pel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@code /api/v1/stream} server-sent events: one {@code block} event per committed block, its data the
 * {@link BlockSummary} as JSON. Events are sent from one thread of its own, so a slow client never holds up
 * block production; a client that cannot be written to is dropped.
 */
final class EventStream {

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pel-server-events");
        t.setDaemon(true);
        return t;
    });

    void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendComment("connected");
    }

    int clients() {
        return clients.size();
    }

    void publish(String event, Object data) {
        String json;
        try {
            json = ApiRoutes.JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sender.execute(() -> {
            for (SseClient client : clients) {
                try {
                    if (client.terminated()) {
                        clients.remove(client);
                    } else {
                        client.sendEvent(event, json);
                    }
                } catch (RuntimeException e) {
                    clients.remove(client);
                }
            }
        });
    }

    void close() {
        sender.shutdownNow();
        for (SseClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        clients.clear();
        try {
            sender.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
