package io.pel.referral;

/**
 * The stable codes of the referral program's {@link io.pel.ledger.node.TxFailure}s: errors a caller causes. A
 * failed call changes nothing (its writes are discarded) and returns no events.
 */
public final class ReferralFailures {

    public static final String NOT_AUTHORIZED = io.pel.ledger.node.TxFailure.NOT_AUTHORIZED;
    public static final String CAMPAIGN_EXISTS = "CAMPAIGN_EXISTS";
    public static final String CAMPAIGN_NOT_FOUND = "CAMPAIGN_NOT_FOUND";
    public static final String CAMPAIGN_PAUSED = "CAMPAIGN_PAUSED";
    /** The block time is before the campaign's start or at/after its end. */
    public static final String CAMPAIGN_NOT_RUNNING = "CAMPAIGN_NOT_RUNNING";
    public static final String ALREADY_PAUSED = "ALREADY_PAUSED";
    public static final String NOT_PAUSED = "NOT_PAUSED";
    /** The sender is neither the admin nor a reporter the campaign authorized. */
    public static final String NOT_REPORTER = "NOT_REPORTER";
    public static final String REPORTER_NOT_FOUND = "REPORTER_NOT_FOUND";
    public static final String PATTERN_EXISTS = "PATTERN_EXISTS";
    public static final String PATTERN_NOT_FOUND = "PATTERN_NOT_FOUND";
    public static final String BLOCKLIST_FULL = "BLOCKLIST_FULL";
    public static final String ALREADY_JOINED = "ALREADY_JOINED";
    public static final String CODE_COLLISION = "CODE_COLLISION";
    public static final String UNKNOWN_CODE = "UNKNOWN_CODE";
    /** The code belongs to a campaign that is neither this one nor one of its partners. */
    public static final String CODE_NOT_ACCEPTED = "CODE_NOT_ACCEPTED";
    /** The integrator's event id was already reported for this campaign: a retry, answered without effect. */
    public static final String DUPLICATE_EVENT = "DUPLICATE_EVENT";
    /** The referee already signed up through a referral in this campaign. */
    public static final String ALREADY_REFERRED = "ALREADY_REFERRED";
    public static final String EVENT_NOT_FOUND = "EVENT_NOT_FOUND";
    public static final String ALREADY_REFUNDED = "ALREADY_REFUNDED";
    public static final String REWARD_NOT_FOUND = "REWARD_NOT_FOUND";
    /** The reward is not in a status the call applies to (approving a paid reward, …). */
    public static final String INVALID_STATUS = "INVALID_STATUS";
    /** A release of a reward whose hold is not over. */
    public static final String STILL_HELD = "STILL_HELD";
    public static final String INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS";
    public static final String NO_SUCH_PERK = "NO_SUCH_PERK";

    private ReferralFailures() {
    }
}
