package io.pel.referral;

import java.nio.charset.StandardCharsets;

/**
 * The limits and character sets of the names and free-text fields referral calls carry. Every record checks its
 * fields with these in its constructor, so an invalid value can neither be built nor decoded.
 */
public final class Names {

    public static final int MAX_CAMPAIGN_ID = 32;
    public static final int MAX_CHANNEL = 16;
    public static final int MAX_EVENT_ID = 64;
    public static final int MAX_EVENT_NAME = 32;
    public static final int MAX_PERK = 48;
    public static final int MAX_LABEL = 32;
    public static final int MAX_NOTE = 140;
    public static final int MAX_DOMAIN = 253;
    public static final int MAX_PATTERN = 128;
    /** Amounts (rewards, budgets, purchases) stay at or below this, so shares ({@code amount × bps}) never overflow. */
    public static final long MAX_AMOUNT = 1_000_000_000_000L;

    private Names() {
    }

    /** Lower-case ASCII letters, digits, '-' and '_': campaign ids, channels, event names. */
    static String slug(String value, int max, String field) {
        if (value == null || value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(field + " must be 1…" + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                throw new IllegalArgumentException(field + " may hold only a-z, 0-9, '-' and '_': " + value);
            }
        }
        return value;
    }

    /** Printable ASCII without spaces: integrators' event ids. */
    static String token(String value, int max, String field) {
        if (value == null || value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(field + " must be 1…" + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(field + " may hold only printable ASCII without spaces");
            }
        }
        return value;
    }

    /** Free text of at most {@code max} UTF-8 bytes, no control characters; empty allowed when {@code min} is 0. */
    static String text(String value, int min, int max, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (value.length() < min || bytes > max) {
            throw new IllegalArgumentException(field + " must be " + min + "…" + max + " UTF-8 bytes");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(field + " may not hold control characters");
            }
            if (Character.isSurrogate(value.charAt(i))
                    && !(Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(++i)))) {
                throw new IllegalArgumentException(field + " is not valid Unicode");
            }
        }
        return value;
    }

    /** An e-mail domain: lower-case letters, digits, '.' and '-'; empty when unknown. */
    static String domain(String value) {
        if (value == null || value.length() > MAX_DOMAIN) {
            throw new IllegalArgumentException("an e-mail domain is at most " + MAX_DOMAIN + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
                throw new IllegalArgumentException("an e-mail domain is lower-case a-z, 0-9, '.' and '-': " + value);
            }
        }
        return value;
    }

    static long amount(long value, long min, String field) {
        if (value < min || value > MAX_AMOUNT) {
            throw new IllegalArgumentException(field + " must be " + min + "…" + MAX_AMOUNT + ", not " + value);
        }
        return value;
    }
}
