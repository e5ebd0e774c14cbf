package io.pel.server.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The webhook outbox: a RocksDB database of its own, with column families
 * <ul>
 *   <li>{@code subscriptions}: id → subscription;</li>
 *   <li>{@code due}: next-attempt time (8 bytes, big-endian) + subscription id + 0 + event id → pending delivery,
 *       so the deliveries due first come first in a scan and nothing pending needs to be held in memory;</li>
 *   <li>{@code pending}: subscription id + 0 + event id → its next-attempt time: the index to find a delivery
 *       by subscription and event;</li>
 *   <li>{@code log}: subscription id + 0 + sequence (8 bytes) → delivery attempt, the newest
 *       {@link WebhookConfig#logPerSubscription()} per subscription;</li>
 *   <li>{@code meta}: {@code last_published_height}, {@code delivered}, {@code failed_attempts} (8 bytes each).</li>
 * </ul>
 * Subscription ids never contain a 0 byte, so "id + 0" is an exact prefix.
 *
 * <p>Publishing and subscription changes are synced writes. A delivery's result is written without sync: if the
 * machine loses it, the delivery is simply made again, which at-least-once allows. Every method runs under this
 * object's lock; after {@link #close} they throw {@link IllegalStateException}.
 */
final class WebhookStore implements AutoCloseable {

    private static final byte[] LAST_PUBLISHED = ascii("last_published_height");
    private static final byte[] DELIVERED = ascii("delivered");
    private static final byte[] FAILED = ascii("failed_attempts");

    static {
        RocksDB.loadLibrary();
    }

    /** A due delivery as scanned: the record and the key it sits under. */
    record Due(byte[] key, PendingDelivery delivery) {
    }

    /** What {@link #scanDue} found: deliveries due now, and when the next one not taken falls due. */
    record Scan(List<Due> due, long nextDueMillis) {
    }

    private final RocksDB db;
    private final DBOptions options;
    private final ColumnFamilyOptions columnOptions;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle subscriptions;
    private final ColumnFamilyHandle due;
    private final ColumnFamilyHandle pending;
    private final ColumnFamilyHandle log;
    private final ColumnFamilyHandle meta;
    private final WriteOptions synced;
    private final WriteOptions unsynced;
    private final int logPerSubscription;
    /** Per subscription: {first, next} log sequence; loaded on first use. */
    private final Map<String, long[]> logRange = new HashMap<>();
    private long pendingCount;
    private long delivered;
    private long failedAttempts;
    private long lastPublished;
    private boolean closed;

    private WebhookStore(Path directory, int logPerSubscription) throws RocksDBException, IOException {
        Files.createDirectories(directory);
        this.logPerSubscription = logPerSubscription;
        options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        columnOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : List.of("default", "subscriptions", "due", "pending", "log", "meta")) {
            descriptors.add(new ColumnFamilyDescriptor(
                    name.equals("default") ? RocksDB.DEFAULT_COLUMN_FAMILY : ascii(name), columnOptions));
        }
        handles = new ArrayList<>();
        db = RocksDB.open(options, directory.toString(), descriptors, handles);
        subscriptions = handles.get(1);
        due = handles.get(2);
        pending = handles.get(3);
        log = handles.get(4);
        meta = handles.get(5);
        synced = new WriteOptions().setSync(true);
        unsynced = new WriteOptions();
        lastPublished = readLong(LAST_PUBLISHED, -1);
        delivered = readLong(DELIVERED, 0);
        failedAttempts = readLong(FAILED, 0);
        try (RocksIterator it = db.newIterator(pending)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                pendingCount++;
            }
        }
    }

    static WebhookStore open(Path directory, int logPerSubscription) {
        try {
            return new WebhookStore(directory, logPerSubscription);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the webhook outbox at " + directory + ": " + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- subscriptions ----

    synchronized List<Subscription> subscriptions() {
        open();
        List<Subscription> all = new ArrayList<>();
        try (RocksIterator it = db.newIterator(subscriptions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                all.add(WebhookJson.subscription(it.value()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("a stored subscription does not decode", e);
        }
        return all;
    }

    synchronized void putSubscription(Subscription s) {
        open();
        write(synced, batch -> batch.put(subscriptions, utf8(s.id()), WebhookJson.subscription(s)));
    }

    synchronized boolean hasSubscription(String id) {
        open();
        try {
            return db.get(subscriptions, utf8(id)) != null;
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Deletes the subscription, its pending deliveries and its log, in one synced batch. */
    synchronized void deleteSubscription(String id) {
        open();
        byte[] prefix = prefix(id);
        List<byte[]> dueKeys = new ArrayList<>();
        List<byte[]> indexKeys = new ArrayList<>();
        try (RocksIterator it = db.newIterator(pending)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                indexKeys.add(it.key());
                dueKeys.add(dueKey(ByteBuffer.wrap(it.value()).getLong(), it.key()));
            }
        }
        write(synced, batch -> {
            batch.delete(subscriptions, utf8(id));
            for (byte[] k : indexKeys) {
                batch.delete(pending, k);
            }
            for (byte[] k : dueKeys) {
                batch.delete(due, k);
            }
            batch.deleteRange(log, prefix, prefixEnd(prefix));
        });
        pendingCount -= indexKeys.size();
        logRange.remove(id);
    }

    // ---- publishing ----

    synchronized long lastPublishedHeight() {
        open();
        return lastPublished;
    }

    /**
     * Enqueues every (subscription, event) pair that matches and is not pending already, and moves the watermark
     * to {@code height}, in one synced batch; does nothing when {@code height} is not above the watermark.
     *
     * @return the deliveries enqueued, or -1 when the height was published before
     */
    synchronized int publish(long height, List<WebhookEvent> events, List<Subscription> subs, long nowMillis) {
        open();
        if (height <= lastPublished) {
            return -1;
        }
        int[] added = {0};
        write(synced, batch -> {
            java.util.HashSet<String> seen = new java.util.HashSet<>();
            for (WebhookEvent event : events) {
                for (Subscription s : subs) {
                    if (!s.matches(event)) {
                        continue;
                    }
                    byte[] index = indexKey(s.id(), event.id());
                    if (!seen.add(s.id() + '\0' + event.id()) || db.get(pending, index) != null) {
                        continue; // the same event twice: one delivery
                    }
                    PendingDelivery p = new PendingDelivery(s.id(), event, 0, nowMillis, nowMillis, false, "");
                    batch.put(due, dueKey(nowMillis, index), WebhookJson.pending(p));
                    batch.put(pending, index, longBytes(nowMillis));
                    added[0]++;
                }
            }
            batch.put(meta, LAST_PUBLISHED, longBytes(height));
        });
        lastPublished = height;
        pendingCount += added[0];
        return added[0];
    }

    // ---- delivering ----

    /**
     * Up to {@code max} deliveries due at {@code nowMillis}, earliest first, skipping those whose
     * "subscription id + 0 + event id" is in {@code busy}; and when the first delivery not returned falls due
     * ({@link Long#MAX_VALUE} when none is pending). Skipped busy ones are ignored for the next-due time: their
     * worker reschedules them.
     */
    synchronized Scan scanDue(long nowMillis, Set<String> busy, int max) {
        open();
        List<Due> found = new ArrayList<>();
        long next = Long.MAX_VALUE;
        try (RocksIterator it = db.newIterator(due)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                long at = ByteBuffer.wrap(key).getLong();
                if (busy.contains(new String(key, 8, key.length - 8, StandardCharsets.UTF_8))) {
                    continue;
                }
                if (at > nowMillis || found.size() == max) {
                    next = at;
                    break;
                }
                found.add(new Due(key, WebhookJson.pending(it.value())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("a stored delivery does not decode", e);
        }
        return new Scan(found, next);
    }

    /** Records a delivery the receiver accepted: removes it from the outbox and logs the attempt. */
    synchronized void delivered(DeliveryAttempt attempt) {
        open();
        byte[] index = indexKey(attempt.subscriptionId(), attempt.eventId());
        byte[] at = get(pending, index);
        if (at == null) {
            return; // its subscription was deleted meanwhile
        }
        write(unsynced, batch -> {
            batch.delete(pending, index);
            batch.delete(due, dueKey(ByteBuffer.wrap(at).getLong(), index));
            appendLog(batch, attempt);
            batch.put(meta, DELIVERED, longBytes(delivered + 1));
        });
        delivered++;
        pendingCount--;
    }

    /** Records a failed attempt: the delivery moves to its next attempt time, and the attempt is logged. */
    synchronized void failed(PendingDelivery next, DeliveryAttempt attempt) {
        open();
        byte[] index = indexKey(next.subscriptionId(), next.event().id());
        byte[] at = get(pending, index);
        if (at == null) {
            return;
        }
        write(unsynced, batch -> {
            batch.delete(due, dueKey(ByteBuffer.wrap(at).getLong(), index));
            batch.put(due, dueKey(next.nextAttemptMillis(), index), WebhookJson.pending(next));
            batch.put(pending, index, longBytes(next.nextAttemptMillis()));
            appendLog(batch, attempt);
            batch.put(meta, FAILED, longBytes(failedAttempts + 1));
        });
        failedAttempts++;
    }

    /** Makes every pending delivery of a subscription due at {@code nowMillis}; returns how many. */
    synchronized int retryNow(String subscriptionId, long nowMillis) {
        open();
        List<Due> moved = new ArrayList<>();
        for (Due d : pendingOf(subscriptionId, Integer.MAX_VALUE)) {
            moved.add(d);
        }
        write(synced, batch -> {
            for (Due d : moved) {
                PendingDelivery p = d.delivery();
                byte[] index = indexKey(p.subscriptionId(), p.event().id());
                batch.delete(due, d.key());
                PendingDelivery now = new PendingDelivery(p.subscriptionId(), p.event(), p.attempts(),
                        p.enqueuedMillis(), nowMillis, p.dead(), p.lastError());
                batch.put(due, dueKey(nowMillis, index), WebhookJson.pending(now));
                batch.put(pending, index, longBytes(nowMillis));
            }
        });
        return moved.size();
    }

    synchronized List<PendingDelivery> pending(String subscriptionId, int limit) {
        open();
        return pendingOf(subscriptionId, limit).stream().map(Due::delivery).toList();
    }

    private List<Due> pendingOf(String subscriptionId, int limit) {
        byte[] prefix = prefix(subscriptionId);
        List<Due> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator(pending)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix) && found.size() < limit; it.next()) {
                byte[] key = dueKey(ByteBuffer.wrap(it.value()).getLong(), it.key());
                byte[] value = get(due, key);
                if (value != null) {
                    found.add(new Due(key, WebhookJson.pending(value)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a stored delivery does not decode", e);
        }
        return found;
    }

    // ---- the log ----

    /** The newest {@code limit} attempts for a subscription, newest first. */
    synchronized List<DeliveryAttempt> deliveries(String subscriptionId, int limit) {
        open();
        byte[] prefix = prefix(subscriptionId);
        List<DeliveryAttempt> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator(log)) {
            for (it.seekForPrev(prefixEnd(prefix)); it.isValid() && startsWith(it.key(), prefix)
                    && found.size() < limit; it.prev()) {
                found.add(WebhookJson.attempt(it.value()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("a stored delivery attempt does not decode", e);
        }
        return found;
    }

    private void appendLog(WriteBatch batch, DeliveryAttempt attempt) throws RocksDBException {
        long[] range = logRange.computeIfAbsent(attempt.subscriptionId(), this::loadLogRange);
        byte[] prefix = prefix(attempt.subscriptionId());
        batch.put(log, concat(prefix, longBytes(range[1])), WebhookJson.attempt(attempt));
        range[1]++;
        if (range[1] - range[0] > logPerSubscription) {
            long keepFrom = range[1] - logPerSubscription;
            batch.deleteRange(log, concat(prefix, longBytes(range[0])), concat(prefix, longBytes(keepFrom)));
            range[0] = keepFrom;
        }
    }

    private long[] loadLogRange(String subscriptionId) {
        byte[] prefix = prefix(subscriptionId);
        try (RocksIterator it = db.newIterator(log)) {
            it.seek(prefix);
            if (!it.isValid() || !startsWith(it.key(), prefix)) {
                return new long[] {0, 0};
            }
            long first = ByteBuffer.wrap(it.key(), prefix.length, 8).getLong();
            it.seekForPrev(prefixEnd(prefix));
            long last = ByteBuffer.wrap(it.key(), prefix.length, 8).getLong();
            return new long[] {first, last + 1};
        }
    }

    // ---- counters ----

    synchronized long pendingCount() {
        return pendingCount;
    }

    synchronized long deliveredCount() {
        return delivered;
    }

    synchronized long failedAttempts() {
        return failedAttempts;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        synced.close();
        unsynced.close();
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        options.close();
        columnOptions.close();
    }

    // ---- plumbing ----

    private interface BatchWriter {
        void fill(WriteBatch batch) throws RocksDBException;
    }

    private void write(WriteOptions how, BatchWriter writer) {
        try (WriteBatch batch = new WriteBatch()) {
            writer.fill(batch);
            db.write(how, batch);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    private byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    private long readLong(byte[] key, long absent) throws RocksDBException {
        byte[] v = db.get(meta, key);
        return v == null ? absent : ByteBuffer.wrap(v).getLong();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the webhook outbox is closed");
        }
    }

    private static IllegalStateException failure(RocksDBException e) {
        return new IllegalStateException("webhook outbox storage failed: " + e.getMessage(), e);
    }

    static byte[] indexKey(String subscriptionId, String eventId) {
        return concat(prefix(subscriptionId), utf8(eventId));
    }

    private static byte[] dueKey(long atMillis, byte[] indexKey) {
        return concat(longBytes(Math.max(0, atMillis)), indexKey);
    }

    private static byte[] prefix(String subscriptionId) {
        return concat(utf8(subscriptionId), new byte[] {0});
    }

    /** The smallest key above every key starting with {@code prefix} (whose last byte is 0). */
    private static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        end[end.length - 1] = 1;
        return end;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
