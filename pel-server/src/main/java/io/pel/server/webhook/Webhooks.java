package io.pel.server.webhook;

import io.pel.ledger.node.BlockListener;
import io.pel.ledger.node.CommittedBlock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks for committed events: subscriptions, a durable outbox, delivery workers and the delivery log.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><i>Exactly-once enqueueing.</i> {@link #publish} enqueues a block's events for every matching
 *       subscription and records the block's height as the watermark in one synced RocksDB write; a height not
 *       above the watermark is ignored. A caller that re-feeds blocks after a crash, from
 *       {@link #lastPublishedHeight()}{@code + 1} or from anywhere earlier, enqueues each event once.</li>
 *   <li><i>At-least-once delivery.</i> A pending delivery leaves the outbox only when its receiver answered 2xx
 *       (or its subscription is deleted). Failures are retried with exponential back-off and jitter, forever:
 *       after {@link WebhookConfig#deadAfter()} they are marked {@link DeliveryOutcome#DEAD} in the log and
 *       keep being retried at the longest back-off. A receiver that is down loses nothing; a closed or crashed
 *       process resumes every pending delivery when reopened. The same event may arrive more than once (a
 *       receiver answered 500 after acting on it; a result was lost in a crash): receivers deduplicate by
 *       the {@code X-Pel-Event-Id} header, which is the event's stable id.</li>
 *   <li><i>No ordering.</i> Deliveries of one subscription may arrive in any order (retries overtake); a
 *       receiver orders by the body's {@code height} if it must.</li>
 *   <li><i>Authenticity.</i> Every request carries {@value WebhookSignature#HEADER}, an HMAC over the
 *       timestamp and body with the subscription's secret ({@link WebhookSignature#verify}).</li>
 * </ul>
 *
 * <p>The request: {@code POST <url>} with the JSON body
 * {@code {"id","type","campaign","height","txHash","timestamp","data"}} ({@code timestamp}: the block's time in
 * Unix epoch milliseconds) and headers {@code Content-Type:
 * application/json}, {@code X-Pel-Event-Id}, {@code X-Pel-Event-Type}, {@code X-Pel-Delivery-Attempt} (1, 2, …)
 * and {@code X-Pel-Signature}. Redirects are not followed.
 *
 * <p>Thread-safe. Workers are daemon threads; {@link #close()} stops them and closes the outbox.
 */
public final class Webhooks implements AutoCloseable {

    public static final String EVENT_ID_HEADER = "X-Pel-Event-Id";
    public static final String EVENT_TYPE_HEADER = "X-Pel-Event-Type";
    public static final String ATTEMPT_HEADER = "X-Pel-Delivery-Attempt";
    /** The most entries {@link #deliveries} and {@link #pending} return at once. */
    public static final int MAX_LIST = 1_000;
    private static final int SECRET_BYTES = 32;
    private static final int MAX_ERROR_LENGTH = 300;
    private static final long MAX_IDLE_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final WebhookConfig config;
    private final WebhookStore store;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http;
    private final ThreadPoolExecutor workers;
    private final Thread dispatcher;
    /** "subscription id + 0 + event id" of the deliveries a worker holds: at most {@link #maxInFlight}. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final int maxInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Set under {@link #lock} when something may be due: a publish, a finished delivery. Avoids lost wake-ups. */
    private boolean poked;
    private volatile boolean running = true;

    private Webhooks(Path directory, WebhookConfig config) {
        this.config = config;
        this.store = WebhookStore.open(directory, config.logPerSubscription());
        for (Subscription s : store.subscriptions()) {
            subscriptions.put(s.id(), s);
        }
        this.maxInFlight = 2 * config.workers();
        // HTTP/1.1: receivers are arbitrary servers; the JDK's default HTTP/2 would send an h2c upgrade on plain http.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxInFlight), r -> daemon(r, "pel-webhook-" + n.incrementAndGet()));
        this.dispatcher = daemon(this::dispatch, "pel-webhook-dispatcher");
        dispatcher.start();
    }

    /**
     * Opens (or creates) the outbox in {@code directory} — a directory of its own, e.g. {@code <data>/webhooks}
     * — and resumes every pending delivery.
     */
    public static Webhooks open(Path directory, WebhookConfig config) {
        return new Webhooks(Objects.requireNonNull(directory, "directory"), Objects.requireNonNull(config, "config"));
    }

    // ---- subscriptions ----

    /**
     * Creates a subscription with a fresh secret.
     *
     * @param campaign   a campaign id, or {@value Subscription#ANY_CAMPAIGN}
     * @param eventTypes the event types wanted; empty for all
     * @param url        absolute http or https
     */
    public Subscription subscribe(String campaign, Set<String> eventTypes, URI url) throws WebhookException {
        Objects.requireNonNull(eventTypes, "eventTypes");
        if (campaign == null || !(campaign.equals(Subscription.ANY_CAMPAIGN) || Subscription.validCampaign(campaign))) {
            throw new WebhookException(WebhookError.INVALID_CAMPAIGN, "a campaign is '*' or 1…"
                    + Subscription.MAX_CAMPAIGN_LENGTH + " characters from A-Z a-z 0-9 . _ -, not '" + campaign + "'");
        }
        if (eventTypes.size() > Subscription.MAX_EVENT_TYPES) {
            throw new WebhookException(WebhookError.INVALID_EVENT_TYPE, "at most " + Subscription.MAX_EVENT_TYPES
                    + " event types per subscription");
        }
        for (String type : eventTypes) {
            if (!WebhookEvent.validType(type)) {
                throw new WebhookException(WebhookError.INVALID_EVENT_TYPE, "an event type is 1…"
                        + WebhookEvent.MAX_TYPE_LENGTH + " characters from a-z . _, not '" + type + "'");
            }
        }
        String problem = Subscription.urlProblem(url);
        if (problem != null) {
            throw new WebhookException(WebhookError.INVALID_URL, problem);
        }
        synchronized (subscriptions) {
            if (subscriptions.size() >= config.maxSubscriptions()) {
                throw new WebhookException(WebhookError.TOO_MANY_SUBSCRIPTIONS, "at most "
                        + config.maxSubscriptions() + " subscriptions may exist; delete one first");
            }
            Subscription s = new Subscription("sub_" + hex(8), campaign, eventTypes, url, hex(SECRET_BYTES),
                    System.currentTimeMillis());
            store.putSubscription(s);
            subscriptions.put(s.id(), s);
            return s;
        }
    }

    public Optional<Subscription> subscription(String id) {
        return Optional.ofNullable(id == null ? null : subscriptions.get(id));
    }

    /** Every subscription, oldest first. */
    public List<Subscription> subscriptions() {
        List<Subscription> all = new ArrayList<>(subscriptions.values());
        all.sort((a, b) -> a.createdMillis() != b.createdMillis() ? Long.compare(a.createdMillis(), b.createdMillis())
                : a.id().compareTo(b.id()));
        return all;
    }

    /**
     * Deletes a subscription with its pending deliveries and its log: nothing more is sent to it (a delivery
     * in progress may still arrive). Returns whether it existed.
     */
    public boolean unsubscribe(String id) {
        synchronized (subscriptions) {
            if (id == null || subscriptions.remove(id) == null) {
                return false;
            }
            store.deleteSubscription(id);
            return true;
        }
    }

    // ---- publishing ----

    /** The watermark: the highest block height {@link #publish}ed; -1 before the first. */
    public long lastPublishedHeight() {
        return store.lastPublishedHeight();
    }

    /**
     * Enqueues the events of the committed block at {@code height} for every matching subscription, durably,
     * and moves the watermark to {@code height} (call it for blocks without events too). A height not above the
     * watermark changes nothing: re-feeding blocks after a restart is safe.
     *
     * @param events the block's events; each has {@code height} as its height
     * @return the deliveries enqueued; 0 when the height was published before
     * @throws IllegalArgumentException if an event is from another height, or its body exceeds
     *                                  {@link WebhookConfig#maxEventBytes()}
     */
    public int publish(long height, List<WebhookEvent> events) {
        Objects.requireNonNull(events, "events");
        for (WebhookEvent e : events) {
            if (e.height() != height) {
                throw new IllegalArgumentException("event " + e.id() + " is from height " + e.height()
                        + ", not " + height);
            }
            int size = WebhookJson.body(e).length;
            if (size > config.maxEventBytes()) {
                throw new IllegalArgumentException("event " + e.id() + " is " + size + " bytes; at most "
                        + config.maxEventBytes());
            }
        }
        int added;
        synchronized (subscriptions) {
            added = store.publish(height, events, List.copyOf(subscriptions.values()), System.currentTimeMillis());
        }
        if (added > 0) {
            poke();
        }
        return Math.max(added, 0);
    }

    /**
     * A {@link BlockListener} that publishes each committed block's events, as {@code events} derives them
     * from the block (the referral program decodes its receipts). Give it to the node, and on start-up feed it
     * the blocks the outbox has not seen: {@code node.replayCommitted(webhooks.lastPublishedHeight() + 1, l)}.
     */
    public BlockListener listener(Function<CommittedBlock, List<WebhookEvent>> events) {
        Objects.requireNonNull(events, "events");
        return block -> {
            if (block.height() > lastPublishedHeight()) {
                publish(block.height(), events.apply(block));
            }
        };
    }

    // ---- the dashboard ----

    /** The newest attempts to deliver to a subscription, newest first, at most {@code limit} (≤ {@value #MAX_LIST}). */
    public List<DeliveryAttempt> deliveries(String subscriptionId, int limit) throws WebhookException {
        requireKnown(subscriptionId);
        return store.deliveries(subscriptionId, clamp(limit));
    }

    /** The deliveries to a subscription not yet made, at most {@code limit} (≤ {@value #MAX_LIST}). */
    public List<PendingDelivery> pending(String subscriptionId, int limit) throws WebhookException {
        requireKnown(subscriptionId);
        return store.pending(subscriptionId, clamp(limit));
    }

    /** Makes every pending delivery of a subscription (dead ones included) due now; returns how many. */
    public int retryNow(String subscriptionId) throws WebhookException {
        requireKnown(subscriptionId);
        int n = store.retryNow(subscriptionId, System.currentTimeMillis());
        poke();
        return n;
    }

    public WebhookStats stats() {
        return new WebhookStats(subscriptions.size(), store.pendingCount(), store.deliveredCount(),
                store.failedAttempts(), store.lastPublishedHeight());
    }

    public WebhookConfig config() {
        return config;
    }

    // ---- delivery ----

    private void dispatch() {
        while (running) {
            try {
                long now = System.currentTimeMillis();
                int room = maxInFlight - inFlight.size();
                WebhookStore.Scan scan = store.scanDue(now, Set.copyOf(inFlight), Math.max(room, 0));
                for (WebhookStore.Due due : scan.due()) {
                    PendingDelivery p = due.delivery();
                    String key = p.subscriptionId() + '\0' + p.event().id();
                    inFlight.add(key);
                    workers.execute(() -> deliver(p, key));
                }
                lock.lock();
                try {
                    // A full pipeline waits for a worker to finish (it pokes); otherwise sleep until the next
                    // delivery falls due or a publish pokes. The bound keeps a lost wake-up from being fatal.
                    long wait = inFlight.size() >= maxInFlight || scan.nextDueMillis() == Long.MAX_VALUE
                            ? MAX_IDLE_MILLIS : scan.nextDueMillis() - System.currentTimeMillis();
                    if (!poked && running && wait > 0) {
                        wake.await(Math.min(wait, MAX_IDLE_MILLIS), TimeUnit.MILLISECONDS);
                    }
                    poked = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException e) {
                if (!running) {
                    return;
                }
                LOG.error("webhook dispatcher failed; retrying in a second", e);
                sleepQuietly(1_000);
            }
        }
    }

    private void deliver(PendingDelivery p, String key) {
        try {
            Subscription s = subscriptions.get(p.subscriptionId());
            if (s == null) {
                return; // deleted: its pending deliveries went with it
            }
            int attempt = p.attempts() + 1;
            int status = 0;
            String error;
            byte[] body = WebhookJson.body(p.event());
            try {
                HttpRequest request = HttpRequest.newBuilder(s.url())
                        .timeout(config.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "pel-webhooks/1")
                        .header(EVENT_ID_HEADER, p.event().id())
                        .header(EVENT_TYPE_HEADER, p.event().type())
                        .header(ATTEMPT_HEADER, Integer.toString(attempt))
                        .header(WebhookSignature.HEADER,
                                WebhookSignature.sign(s.secret(), System.currentTimeMillis() / 1000, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                error = status / 100 == 2 ? "" : "HTTP " + status;
            } catch (IOException e) {
                error = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // closing: the delivery stays pending
            }
            long now = System.currentTimeMillis();
            if (error.isEmpty()) {
                store.delivered(new DeliveryAttempt(s.id(), p.event().id(), p.event().type(), attempt, status, "",
                        now, DeliveryOutcome.DELIVERED));
            } else {
                boolean dead = now - p.enqueuedMillis() >= config.deadAfter().toMillis();
                long next = now + (dead ? config.backoffCap().toMillis()
                        : config.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble()));
                store.failed(new PendingDelivery(s.id(), p.event(), attempt, p.enqueuedMillis(), next, dead, error),
                        new DeliveryAttempt(s.id(), p.event().id(), p.event().type(), attempt, status, error, now,
                                dead ? DeliveryOutcome.DEAD : DeliveryOutcome.RETRYING));
                LOG.debug("webhook {} to {} failed (attempt {}): {}", p.event().id(), s.id(), attempt, error);
            }
        } catch (IllegalStateException e) {
            if (running) {
                LOG.error("webhook delivery {} could not be recorded; it stays pending", key, e);
            }
        } finally {
            inFlight.remove(key);
            poke();
        }
    }

    private void poke() {
        lock.lock();
        try {
            poked = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the workers (an attempt in progress is abandoned and stays pending) and closes the outbox. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        dispatcher.interrupt();
        workers.shutdownNow();
        try {
            dispatcher.join(5_000);
            if (!workers.awaitTermination(config.requestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("webhook workers did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        store.close();
    }

    private void requireKnown(String subscriptionId) throws WebhookException {
        if (subscriptionId == null || !subscriptions.containsKey(subscriptionId)) {
            throw new WebhookException(WebhookError.UNKNOWN_SUBSCRIPTION, "no subscription '" + subscriptionId + "'");
        }
    }

    private static int clamp(int limit) {
        return Math.max(0, Math.min(limit, MAX_LIST));
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String describe(IOException e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
