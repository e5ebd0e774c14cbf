package io.pel.ledger.codec;

/** Which rule of the canonical encoding an input broke. Stable: names may be shown to clients. */
public enum EncodingError {
    /** The input ends before the value does. */
    TRUNCATED,
    /** Bytes follow a complete value. */
    TRAILING_BYTES,
    /** A type tag (or format version) that this decoder does not know. */
    UNKNOWN_TAG,
    /** A length-prefixed field longer than its maximum. */
    TOO_LONG,
    /** A second byte form of a value that has a canonical one (an overlong UTF-8 sequence, a padding bit set, …). */
    NON_CANONICAL,
    /** Well formed, but not a value the type allows (a negative nonce, an amount of 0, a bad character, …). */
    INVALID_VALUE
}
