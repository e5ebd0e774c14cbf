package io.pel.referral;

/**
 * How the program keeps its aggregates.
 *
 * @param deltaCounters {@code true} (the default): points, counts and spend are engine delta counters
 *                      ({@code add}/{@code tryAdd}), so transactions that only add to them do not conflict;
 *                      {@code false}: every aggregate is read, then written — the same results, for the bench
 *                      to show what delta counters buy
 */
public record ReferralOptions(boolean deltaCounters) {

    public static final ReferralOptions DEFAULT = new ReferralOptions(true);
}
