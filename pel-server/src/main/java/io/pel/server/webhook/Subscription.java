package io.pel.server.webhook;

import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.Collections;

/**
 * An integrator's standing request to receive a campaign's committed events at a URL.
 *
 * <p>Matches an event when the campaign is the event's (or {@value #ANY_CAMPAIGN}) and the event's type is in
 * {@link #eventTypes} (or that set is empty: every type). Immutable. {@link #toString()} leaves the secret out,
 * so a subscription can be logged.
 *
 * @param id            {@code sub_} and 16 hexadecimal digits, made by {@link Webhooks#subscribe}
 * @param campaign      a campaign id, or {@value #ANY_CAMPAIGN} for every campaign
 * @param eventTypes    the event types wanted (sorted, unmodifiable); empty means all
 * @param url           where deliveries are POSTed: absolute http or https
 * @param secret        the HMAC key deliveries are signed with (see {@link WebhookSignature}): 64 hexadecimal
 *                      digits from 32 random bytes
 * @param createdMillis when it was made, Unix epoch milliseconds
 */
public record Subscription(String id, String campaign, Set<String> eventTypes, URI url, String secret,
                           long createdMillis) {

    /** The campaign of a subscription to every campaign. */
    public static final String ANY_CAMPAIGN = "*";
    public static final int MAX_CAMPAIGN_LENGTH = 128;
    public static final int MAX_URL_LENGTH = 2048;
    /** More types than exist would be a mistake; the bound keeps a subscription small. */
    public static final int MAX_EVENT_TYPES = 64;

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        eventTypes = Collections.unmodifiableSortedSet(new TreeSet<>(eventTypes));
    }

    /** Whether this subscription wants {@code event}. */
    public boolean matches(WebhookEvent event) {
        return (campaign.equals(ANY_CAMPAIGN) || campaign.equals(event.campaign()))
                && (eventTypes.isEmpty() || eventTypes.contains(event.type()));
    }

    /** Whether {@code campaign} is a campaign id: 1…128 characters from {@code A-Z a-z 0-9 . _ -}. */
    public static boolean validCampaign(String campaign) {
        if (campaign == null || campaign.isEmpty() || campaign.length() > MAX_CAMPAIGN_LENGTH) {
            return false;
        }
        for (int i = 0; i < campaign.length(); i++) {
            char c = campaign.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code url} cannot receive webhooks, or {@code null} when it can. */
    static String urlProblem(URI url) {
        if (url == null) {
            return "a URL is required";
        }
        if (url.toString().length() > MAX_URL_LENGTH) {
            return "a URL is at most " + MAX_URL_LENGTH + " characters";
        }
        String scheme = url.getScheme();
        if (!url.isAbsolute() || scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return "a webhook URL is absolute http or https, not '" + url + "'";
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return "a webhook URL names a host: '" + url + "'";
        }
        if (url.getRawUserInfo() != null) {
            return "a webhook URL carries no user name or password: the signature authenticates deliveries";
        }
        if (url.getRawFragment() != null) {
            return "a webhook URL has no fragment: '" + url + "'";
        }
        return null;
    }

    @Override
    public String toString() {
        return "Subscription{id=" + id + ", campaign=" + campaign + ", eventTypes=" + eventTypes + ", url=" + url
                + ", created=" + createdMillis + "}";
    }
}
