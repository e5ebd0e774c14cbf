package io.pel.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@value #HEADER} header on every delivery, and how a receiver checks it.
 *
 * <p>Format (as Stripe's): {@code t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>." + body)>}, where the key is
 * the UTF-8 bytes of the subscription's secret exactly as handed out (64 hex digits) and body is the request's
 * raw bytes. The timestamp is signed with the body so an old delivery cannot be replayed later than the
 * receiver's tolerance; several {@code v1} entries may appear (one per secret while a secret is rotated) and
 * any one matching suffices.
 *
 * <p>{@link #verify} compares in constant time and never throws for a malformed header: it answers false.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Pel-Signature";
    /** A receiver's default tolerance for the signed timestamp's distance from its own clock. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final int MAX_HEADER_LENGTH = 1024;

    private WebhookSignature() {
    }

    /** The header value for {@code body} signed at {@code unixSeconds} with {@code secret}. */
    public static String sign(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    /** Whether {@code header} signs {@code body} with {@code secret}, within {@code tolerance} of now. */
    public static boolean verify(String secret, String header, byte[] body, Duration tolerance) {
        return verify(secret, header, body, tolerance, Instant.now());
    }

    /** As {@link #verify(String, String, byte[], Duration)}, for a UTF-8 body. */
    public static boolean verify(String secret, String header, String body, Duration tolerance) {
        return verify(secret, header, body.getBytes(StandardCharsets.UTF_8), tolerance, Instant.now());
    }

    /** As {@link #verify(String, String, byte[], Duration)}, against a given clock reading. */
    public static boolean verify(String secret, String header, byte[] body, Duration tolerance, Instant now) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(tolerance, "tolerance");
        if (header == null || header.length() > MAX_HEADER_LENGTH || secret.isEmpty()) {
            return false;
        }
        Long timestamp = null;
        java.util.List<byte[]> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            try {
                if (key.equals("t")) {
                    if (timestamp != null) {
                        return false;
                    }
                    timestamp = Long.parseLong(value);
                } else if (key.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return false;
        }
        long distance = Math.abs(now.getEpochSecond() - timestamp);
        if (timestamp < 0 || distance > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac(secret, timestamp, body);
        boolean any = false;
        for (byte[] candidate : signatures) {
            any |= MessageDigest.isEqual(expected, candidate);
        }
        return any;
    }

    private static byte[] mac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
