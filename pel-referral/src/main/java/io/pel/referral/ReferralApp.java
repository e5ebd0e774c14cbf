package io.pel.referral;

import io.pel.ledger.Bytes;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.Application;
import java.util.Objects;

/**
 * The referral program as a ledger {@link Application}: id {@value #ID}, name {@code "referral"}. Bodies are
 * {@link ReferralCodec} encodings of {@link ReferralCall}s; outputs are {@link ReferralEvents} encodings of what
 * each call did. Every rule lives in one place ({@code ReferralProgram}); see {@link ReferralKeys} for the state
 * and {@link ReferralFailures} for the stable failure codes.
 *
 * <p>Decisions the brief left open: a retried event id fails with {@code DUPLICATE_EVENT} (changing nothing);
 * self-referrals and cycles block attribution, the other fraud rules flag rewards for review ({@link Flag});
 * budget is reserved when a reward is granted (held or pending ones included) and released when it is rejected
 * or clawed back; held rewards become spendable through a {@link ReferralCall.Release}.
 */
public final class ReferralApp implements Application {

    public static final int ID = 1;
    public static final String NAME = "referral";
    /** How far up the chain of referrers a sign-up looks for a cycle. */
    public static final int MAX_CHAIN_WALK = 64;

    private final ReferralProgram program;
    private final ReferralOptions options;

    public ReferralApp() {
        this(ReferralOptions.DEFAULT);
    }

    public ReferralApp(ReferralOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.program = new ReferralProgram(options);
    }

    public ReferralOptions options() {
        return options;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Call decode(Bytes body) throws EncodingException {
        return bind(ReferralCodec.decode(body));
    }

    /** The call ready to run in a block. */
    public Call bind(ReferralCall call) {
        Objects.requireNonNull(call, "call");
        return context -> program.execute(call, context);
    }
}
