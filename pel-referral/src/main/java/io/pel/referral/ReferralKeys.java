package io.pel.referral;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.node.CallContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where the referral program keeps its state, relative to its application prefix ({@link #ledgerKey} gives the
 * full ledger key, for {@code Node.state} and proofs). A key is an ASCII tag, then '/'-separated parts: names
 * (campaign ids, channels, codes — none can hold '/'), raw 32-byte account ids, raw hashes, big-endian integers.
 * Parts after a name are fixed-length or last, so no two keys collide.
 *
 * <table>
 *   <caption>Values</caption>
 *   <tr><td>{@code c/<campaign>}</td><td>{@link ReferralState.Campaign}: current rules, version, paused</td></tr>
 *   <tr><td>{@code cv/<campaign>/<version:u32>}</td><td>every version of the rules, kept</td></tr>
 *   <tr><td>{@code rep/<campaign>/<account>}</td><td>present: the account may report events</td></tr>
 *   <tr><td>{@code bl}</td><td>{@link Blocklist}</td></tr>
 *   <tr><td>{@code p/<campaign>/<account>}</td><td>{@link ReferralState.Participant}</td></tr>
 *   <tr><td>{@code code/<code>}</td><td>{@link ReferralState.CodeOwner}</td></tr>
 *   <tr><td>{@code l/<campaign>/<referee>}</td><td>{@link ReferralState.Link}: referee → referrer</td></tr>
 *   <tr><td>{@code evt/<campaign>/<eventId>}</td><td>{@link ReferralState.EventRecord}: idempotency</td></tr>
 *   <tr><td>{@code fp/<campaign>/<hash>}, {@code em/<campaign>/<hash>}</td><td>fingerprint / e-mail seen</td></tr>
 *   <tr><td>{@code conv/<campaign>/<referee>}</td><td>present: converted (first-only campaigns)</td></tr>
 *   <tr><td>{@code rw/<account>/<rewardId>}</td><td>{@link RewardRecord}: the reward history</td></tr>
 *   <tr><td>{@code ri/<rewardId>}</td><td>the recipient's account id: reward id → record</td></tr>
 *   <tr><td>{@code ms/<campaign>/<account>/<tier:u8>}</td><td>present: milestone granted (badge earned)</td></tr>
 * </table>
 * Counters (8-byte big-endian longs, delta counters): {@code pts/<campaign>/<account>} points balance,
 * {@code cred/…} credit balance, {@code perk/<campaign>/<account>/<perk>} perks to claim, {@code spend/<campaign>}
 * budget reserved, {@code earn/<campaign>/<account>} earned as a referrer (the cap), {@code refs/<campaign>/<account>}
 * conversions as a referrer, {@code tier/<campaign>/<account>/<tier:u8>} a milestone's countdown,
 * {@code vel/<campaign>/<account>/<window:u64>} sign-ups per velocity window, {@code su/<campaign>/<account>} sign-ups
 * per referrer, {@code clk/<campaign>/<code>} clicks per code, {@code chc/…} and {@code chs/<campaign>/<channel>}
 * clicks and sign-ups per channel.
 */
public final class ReferralKeys {

    private ReferralKeys() {
    }

    /** The full ledger key of one of the program's keys. */
    public static Bytes ledgerKey(Bytes key) {
        return CallContext.stateKey(ReferralApp.ID, key);
    }

    public static Bytes campaign(String c) {
        return key("c", c);
    }

    public static Bytes rulesVersion(String c, int version) {
        return key("cv", c, u32(version));
    }

    public static Bytes reporter(String c, AccountId a) {
        return key("rep", c, a);
    }

    public static Bytes blocklist() {
        return key("bl");
    }

    public static Bytes participant(String c, AccountId a) {
        return key("p", c, a);
    }

    public static Bytes code(String code) {
        return key("code", code);
    }

    public static Bytes link(String c, AccountId referee) {
        return key("l", c, referee);
    }

    public static Bytes event(String c, String eventId) {
        return key("evt", c, eventId);
    }

    public static Bytes fingerprint(String c, Hash h) {
        return key("fp", c, h);
    }

    public static Bytes email(String c, Hash h) {
        return key("em", c, h);
    }

    public static Bytes converted(String c, AccountId referee) {
        return key("conv", c, referee);
    }

    public static Bytes reward(AccountId to, RewardId id) {
        return key("rw", to, id.value().toByteArray());
    }

    /** The prefix every reward record of {@code to} starts with. */
    public static Bytes rewardPrefix(AccountId to) {
        return key("rw", to, new byte[0]);
    }

    public static Bytes rewardIndex(RewardId id) {
        return key("ri", id.value().toByteArray());
    }

    public static Bytes milestone(String c, AccountId a, int tier) {
        return key("ms", c, a, new byte[] {(byte) tier});
    }

    public static Bytes points(String c, AccountId a) {
        return key("pts", c, a);
    }

    public static Bytes credit(String c, AccountId a) {
        return key("cred", c, a);
    }

    public static Bytes perk(String c, AccountId a, String perk) {
        return key("perk", c, a, perk);
    }

    public static Bytes spend(String c) {
        return key("spend", c);
    }

    public static Bytes earned(String c, AccountId a) {
        return key("earn", c, a);
    }

    public static Bytes referrals(String c, AccountId a) {
        return key("refs", c, a);
    }

    public static Bytes tierCountdown(String c, AccountId a, int tier) {
        return key("tier", c, a, new byte[] {(byte) tier});
    }

    public static Bytes velocity(String c, AccountId a, long window) {
        return key("vel", c, a, u64(window));
    }

    public static Bytes signUps(String c, AccountId referrer) {
        return key("su", c, referrer);
    }

    public static Bytes clicks(String c, String code) {
        return key("clk", c, code);
    }

    public static Bytes channelClicks(String c, String channel) {
        return key("chc", c, channel);
    }

    public static Bytes channelSignUps(String c, String channel) {
        return key("chs", c, channel);
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    private static Bytes key(String tag, Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(tag.getBytes(StandardCharsets.US_ASCII));
        for (Object part : parts) {
            out.write('/');
            switch (part) {
                case String s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                case AccountId a -> out.writeBytes(a.toByteArray());
                case Hash h -> out.writeBytes(h.toByteArray());
                case byte[] b -> out.writeBytes(b);
                default -> throw new IllegalArgumentException("not a key part: " + part);
            }
        }
        return Bytes.of(out.toByteArray());
    }
}
