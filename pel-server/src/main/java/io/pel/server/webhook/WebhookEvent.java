package io.pel.server.webhook;

import io.pel.ledger.Hash;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One committed event an integrator may act on, as delivered to webhooks.
 *
 * <p><b>Identity.</b> {@link #id} is stable: the same committed event always has the same id
 * ({@code <txHash hex>:<index of the event among its transaction's events>}, see {@link #idOf}), so a receiver
 * that sees an id twice — deliveries are at least once — knows it is a duplicate.
 *
 * <p><b>Payload.</b> {@link #data} is a JSON object: its values are strings, booleans, numbers (integers as
 * {@code Long}, or {@code BigInteger} beyond a long; others as finite {@code Double} — an exact
 * decimal goes in a string), lists and maps of the
 * same, never null. It is copied deeply into unmodifiable, key-sorted maps, so an event is immutable and
 * serializes to the same bytes every time.
 *
 * @param id              stable event id, 1…{@value #MAX_ID_LENGTH} characters from {@code A-Z a-z 0-9 : . _ -}
 * @param type            an event type such as {@value #REFERRAL_CONVERTED}: 1…64 characters from {@code a-z . _}
 *                        (an open set: the referral program may add types without a change here)
 * @param campaign        the campaign it belongs to (see {@link Subscription#validCampaign})
 * @param height          the height of the block that committed it
 * @param txHash          the transaction that caused it
 * @param timestampMillis the block's timestamp, Unix epoch milliseconds
 * @param data            the type's own fields
 */
public record WebhookEvent(String id, String type, String campaign, long height, Hash txHash, long timestampMillis,
                           Map<String, Object> data) {

    public static final String PARTICIPANT_JOINED = "participant.joined";
    public static final String REFERRAL_CONVERTED = "referral.converted";
    public static final String MILESTONE_REACHED = "milestone.reached";
    public static final String REWARD_FLAGGED = "reward.flagged";
    public static final String REWARD_APPROVED = "reward.approved";
    public static final String REWARD_CLAWED_BACK = "reward.clawed_back";
    public static final String BUDGET_EXHAUSTED = "budget.exhausted";

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_TYPE_LENGTH = 64;
    /** Nesting deeper than this in {@link #data} is refused: a payload is a flat record, not a document. */
    public static final int MAX_DATA_DEPTH = 8;

    private static final Pattern TYPE = Pattern.compile("[a-z_.]{1," + MAX_TYPE_LENGTH + "}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9:._-]{1," + MAX_ID_LENGTH + "}");

    public WebhookEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(txHash, "txHash");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an event id is 1…" + MAX_ID_LENGTH
                    + " characters from A-Z a-z 0-9 : . _ -, not '" + id + "'");
        }
        if (!validType(type)) {
            throw new IllegalArgumentException("an event type is 1…" + MAX_TYPE_LENGTH
                    + " characters from a-z . _, not '" + type + "'");
        }
        if (!Subscription.validCampaign(campaign)) {
            throw new IllegalArgumentException("not a campaign id: '" + campaign + "'");
        }
        if (height < 0 || timestampMillis < 0) {
            throw new IllegalArgumentException("height and timestamp are ≥ 0: " + height + ", " + timestampMillis);
        }
        data = freezeMap(data == null ? Map.of() : data, 0);
    }

    /** An event whose id is {@link #idOf}{@code (txHash, index)}. */
    public static WebhookEvent of(Hash txHash, int index, String type, String campaign, long height,
                                  long timestampMillis, Map<String, ?> data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) data;
        return new WebhookEvent(idOf(txHash, index), type, campaign, height, txHash, timestampMillis, fields);
    }

    /** The stable id of the {@code index}-th event a transaction caused: {@code <txHash hex>:<index>}. */
    public static String idOf(Hash txHash, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("an event index is ≥ 0, not " + index);
        }
        return txHash.toHex() + ":" + index;
    }

    /** Whether {@code type} is a well-formed event type. */
    public static boolean validType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map, int depth) {
        if (depth > MAX_DATA_DEPTH) {
            throw new IllegalArgumentException("event data nests deeper than " + MAX_DATA_DEPTH);
        }
        TreeMap<String, Object> copy = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("event data keys are strings, not " + e.getKey());
            }
            copy.put(key, freeze(e.getValue(), depth + 1));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object freeze(Object value, int depth) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("event data holds no nulls: leave the field out");
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b;
            case Double d -> finite(d);
            case Float f -> finite(f.doubleValue());
            case BigDecimal b -> throw new IllegalArgumentException(
                    "event data numbers are integers or doubles; write an exact decimal " + b + " as a string");
            case Map<?, ?> m -> freezeMap(m, depth);
            case List<?> list -> {
                if (depth > MAX_DATA_DEPTH) {
                    throw new IllegalArgumentException("event data nests deeper than " + MAX_DATA_DEPTH);
                }
                List<Object> copy = new ArrayList<>(list.size());
                for (Object o : list) {
                    copy.add(freeze(o, depth + 1));
                }
                yield Collections.unmodifiableList(copy);
            }
            default -> throw new IllegalArgumentException("event data holds JSON values only, not "
                    + value.getClass().getName());
        };
    }

    private static Double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("event data numbers are finite, not " + d);
        }
        return d;
    }
}
