package io.pel.ledger;

import java.util.Objects;

/**
 * The name of a chain, signed into every transaction so that a transaction for one chain is invalid on any
 * other. 1 to {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9 . _ -}: plain ASCII, so that two names
 * that look the same are the same bytes.
 */
public record ChainId(String value) {

    public static final int MAX_LENGTH = 64;

    public ChainId {
        Objects.requireNonNull(value, "value");
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static ChainId of(String value) {
        return new ChainId(value);
    }

    /** Why {@code value} is not a chain id, or {@code null} when it is one. */
    static String problem(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return "a chain id has 1 to " + MAX_LENGTH + " characters, not " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return "a chain id may hold only A-Z a-z 0-9 . _ -, not U+" + String.format("%04X", (int) c)
                        + " at " + i;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}
