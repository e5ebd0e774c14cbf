package io.pel.referral;

import io.pel.ledger.Hash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The chain's blocklist: at most {@value #MAX_PATTERNS} patterns, kept sorted, stored as one value (only admins
 * change it, so reading it never conflicts with other events). Patterns are globs: {@code *} matches any run of
 * characters, {@code ?} one character; matching is a pure function of the pattern and the sign-up's fields.
 */
public record Blocklist(List<Pattern> patterns) {

    public static final int MAX_PATTERNS = 512;
    public static final Blocklist EMPTY = new Blocklist(List.of());
    private static final Comparator<Pattern> ORDER =
            Comparator.comparingInt((Pattern p) -> p.kind().code()).thenComparing(Pattern::pattern);

    public Blocklist {
        patterns = List.copyOf(patterns);
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("a blocklist holds at most " + MAX_PATTERNS + " patterns");
        }
        for (int i = 1; i < patterns.size(); i++) {
            if (ORDER.compare(patterns.get(i - 1), patterns.get(i)) >= 0) {
                throw new IllegalArgumentException("blocklist patterns must be sorted and distinct");
            }
        }
    }

    /** What a pattern is matched against. Codes are stable. */
    public enum Kind {
        /** The e-mail's domain, e.g. {@code spam.example} or {@code *.tempmail.*}. */
        EMAIL_DOMAIN(1),
        /**
         * An e-mail: {@code *@<domain glob>} matches the domain (integrators send only a hash of the address);
         * anything else is a glob over the lower-case hex of the e-mail hash.
         */
        EMAIL(2),
        /** A glob over the lower-case hex of the device fingerprint hash, e.g. {@code 3fa9*}. */
        FINGERPRINT(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no blocklist kind " + code);
        }
    }

    /** One pattern: printable ASCII, lower case, 1…{@value Names#MAX_PATTERN} characters. */
    public record Pattern(Kind kind, String pattern) {
        public Pattern {
            Objects.requireNonNull(kind, "kind");
            Names.token(pattern, Names.MAX_PATTERN, "pattern");
            if (!pattern.equals(pattern.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("patterns are lower case: " + pattern);
            }
        }

        boolean matches(String domain, Hash emailHash, Hash fingerprint) {
            return switch (kind) {
                case EMAIL_DOMAIN -> !domain.isEmpty() && glob(pattern, domain);
                case EMAIL -> pattern.startsWith("*@")
                        ? !domain.isEmpty() && glob(pattern.substring(2), domain)
                        : glob(pattern, emailHash.toHex());
                case FINGERPRINT -> glob(pattern, fingerprint.toHex());
            };
        }
    }

    public boolean contains(Pattern p) {
        return patterns.contains(p);
    }

    public Blocklist with(Pattern p) {
        List<Pattern> next = new ArrayList<>(patterns);
        next.add(p);
        next.sort(ORDER);
        return new Blocklist(next);
    }

    public Blocklist without(Pattern p) {
        List<Pattern> next = new ArrayList<>(patterns);
        next.remove(p);
        return new Blocklist(next);
    }

    /** The first pattern a sign-up with these fields matches, if any. */
    public java.util.Optional<Pattern> match(String domain, Hash emailHash, Hash fingerprint) {
        for (Pattern p : patterns) {
            if (p.matches(domain, emailHash, fingerprint)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** Glob matching with {@code *} and {@code ?}; linear-time backtracking on the last star. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
