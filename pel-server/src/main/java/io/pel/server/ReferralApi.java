package io.pel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.pel.ledger.AccountId;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.Rejection;
import io.pel.ledger.node.StateProof;
import io.pel.referral.ReferralCall;
import io.pel.referral.ReferralKeys;
import io.pel.referral.ReferralService;
import io.pel.referral.ReferralState;
import io.pel.referral.ReferralViews;
import io.pel.referral.RewardId;
import io.pel.referral.RewardRecord;
import io.pel.server.webhook.Subscription;
import io.pel.server.webhook.WebhookException;
import io.pel.server.webhook.Webhooks;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The referral program's endpoints: campaign, participant, code and reward reads (with Merkle proofs in the form
 * of {@code /api/v1/state/{key}}), {@code /r/{code}} link resolution with click tracking, admin and reporter
 * writes the server signs with its {@link OperatorKeys}, and webhook management. Also the dashboard's
 * Campaigns, Webhooks and Referral proof tabs.
 *
 * <p>Writes answer 202 {@code {hash, status: PENDING}} at once, or with {@code ?wait=ms} 200 with the committed
 * outcome ({@code outcome.success}, or {@code outcome.code} such as {@code DUPLICATE_EVENT}) and the referral
 * events it produced. Admin writes need the admin token, and answer 403 {@code NO_ADMIN_KEY} when the server does
 * not hold the chain admin's key.
 */
public final class ReferralApi implements ApiModule {

    /** Leaderboard rows answered at most. */
    public static final int MAX_LEADERBOARD = 1_000;
    static final int DEFAULT_LEADERBOARD = 10;

    private final ReferralService referral;
    private final ReferralViews views;
    private final Webhooks webhooks;
    private final OperatorKeys keys;
    private final LandingUrls landing;
    private final long maxWaitMillis;

    /** The referral API over {@code stack}, signing with {@code keys} (use {@link OperatorKeys#forChainAdmin}). */
    public ReferralApi(PelStack stack, OperatorKeys keys) {
        this(stack.referral(), stack.webhooks(), keys, stack.directory().resolve(LandingUrls.FILE));
    }

    ReferralApi(ReferralService referral, Webhooks webhooks, OperatorKeys keys, Path landingFile) {
        this.referral = referral;
        this.views = referral.views();
        this.webhooks = webhooks;
        this.keys = keys.forChainAdmin(referral.node().config().admin());
        this.landing = new LandingUrls(landingFile);
        this.maxWaitMillis = ServerConfig.DEFAULT_MAX_WAIT.toMillis();
    }

    @Override
    public String name() {
        return "referral";
    }

    @Override
    public List<DashboardPage> dashboardPages() {
        return List.of(new DashboardPage("campaigns", "Campaigns", "/referral/campaigns.js"),
                new DashboardPage("webhooks", "Webhooks", "/referral/webhooks.js"),
                new DashboardPage("referral-proof", "Referral proof", "/referral/referral-proof.js"));
    }

    @Override
    public List<StaticResources> staticResources() {
        return List.of(new StaticResources("/referral", "/referral-dashboard"));
    }

    @Override
    public void register(ApiRoutes r) {
        List<String> none = List.of();
        List<String> wait = List.of("wait");
        r.get("/api/v1/campaigns", "Campaigns: id, version, paused, spent, budget, participants", none,
                this::campaigns);
        r.get("/api/v1/campaigns/{id}", "A campaign: rules, version, paused, spent/budget, participants, landing URL",
                none, this::campaign);
        r.get("/api/v1/campaigns/{id}/leaderboard", "Top referrers: rank, account, score, badges; limit ≤ "
                + MAX_LEADERBOARD, List.of("limit"), this::leaderboard);
        r.get("/api/v1/campaigns/{id}/participants/{account}", "A participant: code, channel, rank, points, credit, "
                + "badges, funnel of its referrals", none, this::participant);
        r.get("/api/v1/campaigns/{id}/participants/{account}/proof", "A participant's points, credit and reward "
                + "records, each with its Merkle proof (the /api/v1/state form)", none, this::participantProof);
        r.get("/api/v1/campaigns/{id}/funnel", "Clicks → sign-ups → conversions, in total and per channel", none,
                this::funnel);
        r.get("/api/v1/campaigns/{id}/stats", "Viral coefficient, time to reward, fraud caught by rule, "
                + "non-participants", none, this::stats);
        r.get("/api/v1/campaigns/{id}/reviews", "Rewards waiting for review, with the rule that flagged them", none,
                this::reviews);
        r.get("/api/v1/codes/{code}", "Who owns a referral code, in which campaign", none, this::code);
        r.get("/api/v1/codes/{code}/proof", "The code's owner record, the owner's balance and rewards, each with "
                + "its Merkle proof", none, this::codeProof);
        r.get("/api/v1/rewards/{rewardId}", "A reward record", none, this::reward);
        r.get("/api/v1/accounts/{account}/rewards", "An account's reward records, in grant order", none,
                this::accountRewards);
        r.get("/r/{code}", "Follows a referral link: records a click (not waited for) and redirects (302) to the "
                + "campaign's landing URL; ?channel= tags it", List.of("channel"), this::follow);

        r.adminPost("/api/v1/admin/campaigns", "Create a campaign {id, rules, landingUrl?} and authorize the "
                + "server's reporters for it (admin key)", wait, this::createCampaign);
        r.adminPost("/api/v1/admin/campaigns/{id}/pause", "Pause a campaign (admin key)", wait,
                ctx -> adminWrite(ctx, new ReferralCall.PauseCampaign(campaignParam(ctx))));
        r.adminPost("/api/v1/admin/campaigns/{id}/resume", "Resume a campaign (admin key)", wait,
                ctx -> adminWrite(ctx, new ReferralCall.ResumeCampaign(campaignParam(ctx))));
        r.adminPost("/api/v1/admin/campaigns/{id}/reporters", "Authorize the server's reporter keys for a campaign "
                + "created elsewhere (admin key)", wait, this::authorizeReporters);
        r.adminPost("/api/v1/admin/rewards/{rewardId}/approve", "Approve a reward waiting for review {reason?}",
                wait, ctx -> adminWrite(ctx, new ReferralCall.Approve(rewardParam(ctx), note(ctx))));
        r.adminPost("/api/v1/admin/rewards/{rewardId}/reject", "Reject a reward waiting for review {reason?}",
                wait, ctx -> adminWrite(ctx, new ReferralCall.Reject(rewardParam(ctx), note(ctx))));
        r.adminPost("/api/v1/admin/rewards/{rewardId}/clawback", "Claw back a live reward {reason?}", wait,
                ctx -> adminWrite(ctx, new ReferralCall.ClawBack(rewardParam(ctx), note(ctx))));
        r.adminPost("/api/v1/admin/blocklist", "Add {kind, pattern} to the blocklist, or remove it with "
                + "{remove: true}", wait, this::blocklist);
        r.adminPost("/api/v1/events/signup", "Report a sign-up {campaign, code, channel?, referee, fingerprint, "
                + "emailHash, emailDomain?, eventId} (reporter key)", wait, this::signUp);
        r.adminPost("/api/v1/events/qualify", "Report a qualifying event {campaign, referee, event, amount?, "
                + "eventId} (reporter key)", wait, this::qualify);
        r.adminPost("/api/v1/events/refund", "Report a refund {campaign, eventId} (reporter key)", wait,
                this::refund);

        r.adminGet("/api/v1/admin/webhooks", "Webhook subscriptions (secrets left out)", none, this::subscriptions);
        r.adminPost("/api/v1/admin/webhooks", "Subscribe {campaign, types, url} → {id, secret}", none,
                this::subscribe);
        r.adminDelete("/api/v1/admin/webhooks/{id}", "Delete a subscription and its pending deliveries", none,
                this::unsubscribe);
        r.adminGet("/api/v1/admin/webhooks/{id}/deliveries", "A subscription's delivery log (newest first) and "
                + "pending deliveries; limit ≤ " + Webhooks.MAX_LIST, List.of("limit"), this::deliveries);
        r.adminPost("/api/v1/admin/webhooks/{id}/retry", "Make a subscription's pending deliveries due now", none,
                this::retry);
        r.get("/api/v1/webhooks/stats", "Webhook totals: subscriptions, pending, delivered, failed attempts",
                none, ctx -> {
                    var s = webhooks.stats();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("subscriptions", s.subscriptions());
                    m.put("pending", s.pending());
                    m.put("delivered", s.delivered());
                    m.put("failedAttempts", s.failedAttempts());
                    m.put("lastPublishedHeight", s.lastPublishedHeight());
                    ApiRoutes.respond(ctx, 200, m);
                });
    }

    // ---- reads ----

    private void campaigns(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : views.campaigns()) {
            referral.campaign(id).ifPresent(c -> out.add(summary(id, c)));
        }
        ApiRoutes.respond(ctx, 200, Map.of("campaigns", out, "height", views.height()));
    }

    private Map<String, Object> summary(String id, ReferralState.Campaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("version", c.version());
        m.put("paused", c.paused());
        m.put("spent", referral.spent(id));
        m.put("budget", c.rules().budget());
        m.put("participants", views.snapshot(id).participants());
        m.put("landingUrl", landing.get(id));
        return m;
    }

    private void campaign(Context ctx) {
        String id = ctx.pathParam("id");
        ReferralState.Campaign c = requireCampaign(id);
        Map<String, Object> m = summary(id, c);
        m.put("manualApproval", c.rules().manualApproval());
        m.put("rules", ReferralJson.rules(c.rules()));
        m.put("height", views.height());
        ApiRoutes.respond(ctx, 200, m);
    }

    private void leaderboard(Context ctx) {
        String id = ctx.pathParam("id");
        requireCampaign(id);
        long limit = ApiRoutes.longQuery(ctx, "limit").orElse((long) DEFAULT_LEADERBOARD);
        if (limit < 1 || limit > MAX_LEADERBOARD) {
            throw ApiError.badRequest("limit is 1…" + MAX_LEADERBOARD).exception();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ReferralViews.Ranked r : views.leaderboard(id, (int) limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", r.rank());
            m.put("account", r.account().toHex());
            m.put("score", r.score());
            m.put("badges", views.badges(id, r.account()));
            rows.add(m);
        }
        ApiRoutes.respond(ctx, 200, Map.of("campaign", id, "leaderboard", rows, "height", views.height()));
    }

    private void participant(Context ctx) {
        String id = ctx.pathParam("id");
        requireCampaign(id);
        AccountId account = ReferralJson.account(ctx.pathParam("account"), "account");
        ReferralState.Participant p = referral.participant(id, account).orElseThrow(() -> ApiError.notFound(
                "account " + account.toHex() + " has not joined campaign " + id).exception());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", id);
        m.put("account", account.toHex());
        m.put("code", p.code());
        m.put("channel", p.channel());
        m.put("joinedAt", p.joinedAt());
        m.put("rank", views.rank(id, account).map(ReferralViews.Ranked::rank).orElse(null));
        m.put("points", referral.points(id, account));
        m.put("credit", referral.credit(id, account));
        m.put("badges", views.badges(id, account));
        m.put("funnel", ReferralJson.funnel(views.referrerFunnel(id, account)));
        ApiRoutes.respond(ctx, 200, m);
    }

    private void funnel(Context ctx) {
        String id = ctx.pathParam("id");
        requireCampaign(id);
        ReferralViews.Funnel f = views.funnel(id);
        Map<String, Object> channels = new LinkedHashMap<>();
        new java.util.TreeMap<>(f.byChannel()).forEach((ch, counts) -> channels.put(ch, ReferralJson.funnel(counts)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", id);
        m.put("total", ReferralJson.funnel(f.total()));
        m.put("byChannel", channels);
        m.put("height", views.height());
        ApiRoutes.respond(ctx, 200, m);
    }

    private void stats(Context ctx) {
        String id = ctx.pathParam("id");
        requireCampaign(id);
        ReferralViews.TimeToReward t = views.timeToReward(id);
        Map<String, Object> ttr = new LinkedHashMap<>();
        ttr.put("count", t.count());
        ttr.put("meanMillis", t.meanMillis());
        ttr.put("medianMillis", t.medianMillis());
        ttr.put("maxMillis", t.maxMillis());
        Map<String, Object> fraud = new LinkedHashMap<>();
        views.fraudCaught(id).forEach((flag, n) -> fraud.put(flag.name(), n));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", id);
        m.put("viralCoefficient", views.viralCoefficient(id));
        m.put("timeToReward", ttr);
        m.put("fraudCaught", fraud);
        m.put("fraudCaughtTotal", fraud.values().stream().mapToLong(v -> (Long) v).sum());
        m.put("nonParticipants", views.nonParticipants(id).size());
        m.put("participants", views.snapshot(id).participants());
        m.put("height", views.height());
        ApiRoutes.respond(ctx, 200, m);
    }

    private void reviews(Context ctx) {
        String id = ctx.pathParam("id");
        requireCampaign(id);
        ApiRoutes.respond(ctx, 200, Map.of("campaign", id,
                "reviews", views.reviewQueue(id).stream().map(ReferralJson::review).toList(),
                "height", views.height()));
    }

    private void code(Context ctx) {
        String code = ctx.pathParam("code");
        ReferralState.CodeOwner owner = requireCode(code);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("campaign", owner.campaign());
        m.put("owner", owner.owner().toHex());
        m.put("link", "/r/" + code);
        ApiRoutes.respond(ctx, 200, m);
    }

    private void reward(Context ctx) {
        RewardId id = ReferralJson.rewardId(ctx.pathParam("rewardId"));
        RewardRecord r = referral.reward(id).orElseThrow(() -> ApiError.notFound("no reward " + id.toHex())
                .exception());
        ApiRoutes.respond(ctx, 200, ReferralJson.rewardRecord(r));
    }

    private void accountRewards(Context ctx) {
        AccountId account = ReferralJson.account(ctx.pathParam("account"), "account");
        List<Map<String, Object>> out = new ArrayList<>();
        for (RewardId id : views.rewardIds(account)) {
            referral.reward(id).ifPresent(r -> out.add(ReferralJson.rewardRecord(r)));
        }
        ApiRoutes.respond(ctx, 200, Map.of("account", account.toHex(), "rewards", out));
    }

    private void participantProof(Context ctx) {
        String id = ctx.pathParam("id");
        requireCampaign(id);
        AccountId account = ReferralJson.account(ctx.pathParam("account"), "account");
        if (referral.participant(id, account).isEmpty()) {
            throw ApiError.notFound("account " + account.toHex() + " has not joined campaign " + id).exception();
        }
        ApiRoutes.respond(ctx, 200, proof(id, account, null));
    }

    private void codeProof(Context ctx) {
        String code = ctx.pathParam("code");
        ReferralState.CodeOwner owner = requireCode(code);
        StateProof codeProof = referral.node().proof(ReferralKeys.ledgerKey(ReferralKeys.code(code)));
        ApiRoutes.respond(ctx, 200, proof(owner.campaign(), owner.owner(), Map.of("code", code,
                "state", LedgerJson.state(codeProof))));
    }

    /**
     * Everything that proves what {@code account} holds in {@code campaign}. Each {@code state} is verifiable on
     * its own against its {@code stateRoot} (proofs are taken one after the other and may name consecutive
     * blocks); {@code verified} is the server's own check of all of them.
     */
    private Map<String, Object> proof(String campaign, AccountId account, Map<String, Object> codeProof) {
        ReferralService.ProvenBalance balance = referral.provenBalance(campaign, account);
        List<ReferralService.ProvenReward> rewards = referral.provenRewards(account).stream()
                .filter(p -> p.reward().campaign().equals(campaign)).toList();
        boolean verified = balance.verify() && rewards.stream().allMatch(ReferralService.ProvenReward::verify);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", campaign);
        m.put("account", account.toHex());
        if (codeProof != null) {
            m.put("codeOwner", codeProof);
        }
        m.put("points", ReferralJson.provenCounter(balance.points(), balance.pointsProof()));
        m.put("credit", ReferralJson.provenCounter(balance.credit(), balance.creditProof()));
        m.put("rewards", rewards.stream().map(p -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("reward", ReferralJson.rewardRecord(p.reward()));
            rm.put("state", LedgerJson.state(p.proof()));
            return rm;
        }).toList());
        m.put("verified", verified);
        return m;
    }

    private ReferralState.Campaign requireCampaign(String id) {
        return referral.campaign(id).orElseThrow(() -> ApiError.notFound("no campaign '" + id + "'").exception());
    }

    private ReferralState.CodeOwner requireCode(String code) {
        return referral.code(code).orElseThrow(() -> ApiError.notFound("no referral code '" + code + "'")
                .exception());
    }

    // ---- links ----

    private void follow(Context ctx) {
        String code = ctx.pathParam("code");
        ReferralState.CodeOwner owner = requireCode(code);
        String channel = ctx.queryParam("channel");
        if (channel == null || channel.isBlank()) {
            channel = "link";
        }
        ReferralCall.Click click;
        try {
            // A fresh id per click: each click counts; a retry of the redirect is a new visit.
            click = new ReferralCall.Click(owner.campaign(), code, channel, "click-" + java.util.UUID.randomUUID());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("channel: " + e.getMessage()).exception();
        }
        // Not waited for: the visitor is redirected whether or not the click gets into a block.
        referral.submit(keys.nextReporter(), click);
        ctx.redirect(landing.get(owner.campaign()), io.javalin.http.HttpStatus.FOUND);
    }

    // ---- writes ----

    private void createCampaign(Context ctx) {
        JsonNode body = ApiRoutes.body(ctx);
        String id = ApiRoutes.text(body, "id");
        var rules = ReferralJson.rules(body.get("rules"));
        Optional<String> landingUrl = Optional.ofNullable(body.get("landingUrl")).filter(JsonNode::isTextual)
                .map(JsonNode::asText).map(LandingUrls::check);
        KeyPair admin = adminKey();
        ReferralCall.CreateCampaign create = call(() -> new ReferralCall.CreateCampaign(id, rules));
        if (referral.campaign(id).isPresent()) {
            throw new ApiError(409, "CAMPAIGN_EXISTS", "campaign '" + id + "' exists already").exception();
        }
        Admission.Accepted created = accepted(referral.submit(admin, create));
        List<Admission.Accepted> all = new ArrayList<>(List.of(created));
        for (AccountId reporter : keys.reporterAccounts()) {
            all.add(accepted(referral.submit(admin, new ReferralCall.AuthorizeReporter(id, reporter))));
        }
        landingUrl.ifPresent(url -> landing.put(id, url));
        answer(ctx, created, all, m -> {
            m.put("campaign", id);
            m.put("reporters", keys.reporters().size());
            m.put("landingUrl", landingUrl.orElse(landing.get(id)));
            return m;
        });
    }

    private void authorizeReporters(Context ctx) {
        String id = campaignParam(ctx);
        requireCampaign(id);
        KeyPair admin = adminKey();
        List<Admission.Accepted> all = new ArrayList<>();
        for (AccountId reporter : keys.reporterAccounts()) {
            all.add(accepted(referral.submit(admin, new ReferralCall.AuthorizeReporter(id, reporter))));
        }
        answer(ctx, all.getLast(), all, m -> {
            m.put("reporters", all.size());
            return m;
        });
    }

    private void blocklist(Context ctx) {
        JsonNode body = ApiRoutes.body(ctx);
        var pattern = ReferralJson.pattern(body);
        boolean remove = body.path("remove").asBoolean(false);
        adminWrite(ctx, remove ? new ReferralCall.BlocklistRemove(pattern) : new ReferralCall.BlocklistAdd(pattern));
    }

    private void signUp(Context ctx) {
        JsonNode b = ApiRoutes.body(ctx);
        AccountId referee = ReferralJson.account(ApiRoutes.text(b, "referee"), "referee");
        var fingerprint = ReferralJson.hash(ApiRoutes.text(b, "fingerprint"), "fingerprint");
        var emailHash = ReferralJson.hash(ApiRoutes.text(b, "emailHash"), "emailHash");
        reporterWrite(ctx, call(() -> new ReferralCall.SignUp(ApiRoutes.text(b, "campaign"), ApiRoutes.text(b, "code"),
                b.path("channel").asText("direct"), referee, fingerprint, emailHash,
                b.path("emailDomain").asText(""), ApiRoutes.text(b, "eventId"))));
    }

    private void qualify(Context ctx) {
        JsonNode b = ApiRoutes.body(ctx);
        AccountId referee = ReferralJson.account(ApiRoutes.text(b, "referee"), "referee");
        JsonNode amount = b.path("amount");
        if (!amount.isMissingNode() && !amount.canConvertToLong()) {
            throw ApiError.badRequest("field 'amount' must be an integer").exception();
        }
        reporterWrite(ctx, call(() -> new ReferralCall.Qualify(ApiRoutes.text(b, "campaign"), referee,
                ApiRoutes.text(b, "event"), amount.asLong(0), ApiRoutes.text(b, "eventId"))));
    }

    private void refund(Context ctx) {
        JsonNode b = ApiRoutes.body(ctx);
        reporterWrite(ctx, call(() -> new ReferralCall.Refund(ApiRoutes.text(b, "campaign"),
                ApiRoutes.text(b, "eventId"))));
    }

    private void adminWrite(Context ctx, ReferralCall call) {
        KeyPair admin = adminKey();
        Admission.Accepted a = accepted(referral.submit(admin, call));
        answer(ctx, a, List.of(a), Function.identity());
    }

    private void reporterWrite(Context ctx, ReferralCall call) {
        Admission.Accepted a = accepted(referral.submit(keys.nextReporter(), call));
        answer(ctx, a, List.of(a), Function.identity());
    }

    private KeyPair adminKey() {
        return keys.admin().orElseThrow(() -> new ApiError(403, "NO_ADMIN_KEY", "this server does not hold the key "
                + "of the chain's admin " + referral.node().config().admin().map(AccountId::toHex).orElse("(none)")
                + "; sign admin calls yourself and POST /api/v1/transactions").exception());
    }

    /**
     * 202 with the hash; with {@code ?wait=ms}, waits for every one of {@code all} (the calls a request made, in
     * nonce order) and answers 200 with {@code main}'s committed outcome and events, or 202 if the wait ran out.
     */
    private void answer(Context ctx, Admission.Accepted main, List<Admission.Accepted> all,
                        Function<Map<String, Object>, Map<String, Object>> extra) {
        Optional<Long> wait = ApiRoutes.longQuery(ctx, "wait");
        String hash = main.txHash().toHex();
        if (wait.isEmpty() || wait.get() == 0) {
            ApiRoutes.respond(ctx, 202, extra.apply(new LinkedHashMap<>(LedgerJson.pending(hash))));
            return;
        }
        long millis = Math.min(wait.get(), maxWaitMillis);
        CompletableFuture<?>[] futures = all.stream().map(Admission.Accepted::committed)
                .toArray(CompletableFuture[]::new);
        ctx.future(() -> CompletableFuture.allOf(futures)
                .thenApply(v -> true)
                .completeOnTimeout(false, millis, TimeUnit.MILLISECONDS)
                .exceptionally(e -> false)
                .thenAccept(done -> {
                    Optional<Committed> c = referral.node().committed(main.txHash());
                    if (c.isEmpty()) {
                        ApiRoutes.respond(ctx, 202, extra.apply(new LinkedHashMap<>(LedgerJson.pending(hash))));
                        return;
                    }
                    Map<String, Object> m = new LinkedHashMap<>(LedgerJson.committed(c.get()));
                    m.put("events", ReferralService.events(c.get()).stream().map(ReferralJson::event).toList());
                    ApiRoutes.respond(ctx, 200, extra.apply(m));
                }));
    }

    private Admission.Accepted accepted(Admission admission) {
        if (admission instanceof Admission.Rejected rejected) {
            Rejection r = rejected.rejection();
            throw (switch (r.code()) {
                case TOO_LARGE -> new ApiError(413, r.code().name(), r.message());
                case DUPLICATE -> new ApiError(409, r.code().name(), r.message());
                case MEMPOOL_FULL, NODE_CLOSED -> new ApiError(503, r.code().name(), r.message(), 1);
                default -> new ApiError(400, r.code().name(), r.message());
            }).exception();
        }
        return (Admission.Accepted) admission;
    }

    /** Builds a call, turning its validation failure (a bad field) into 400. */
    private static <T extends ReferralCall> T call(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiError.badRequest(e.getMessage() == null ? "invalid call" : e.getMessage()).exception();
        }
    }

    private static String campaignParam(Context ctx) {
        return ctx.pathParam("id");
    }

    private static RewardId rewardParam(Context ctx) {
        return ReferralJson.rewardId(ctx.pathParam("rewardId"));
    }

    /** The decision's note: {@code reason} (or {@code note}) from an optional JSON body. */
    private static String note(Context ctx) {
        if (ctx.bodyAsBytes().length == 0) {
            return "";
        }
        JsonNode body = ApiRoutes.body(ctx);
        JsonNode v = body.has("reason") ? body.get("reason") : body.get("note");
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw ApiError.badRequest("field 'reason' must be a string").exception();
        }
        return v == null || v.isNull() ? "" : v.asText();
    }

    // ---- webhooks ----

    private void subscriptions(Context ctx) {
        ApiRoutes.respond(ctx, 200, Map.of("subscriptions", webhooks.subscriptions().stream()
                .map(s -> ReferralJson.subscription(s, false)).toList()));
    }

    private void subscribe(Context ctx) {
        JsonNode body = ApiRoutes.body(ctx);
        String campaign = body.path("campaign").asText(Subscription.ANY_CAMPAIGN);
        TreeSet<String> types = new TreeSet<>();
        JsonNode t = body.get("types");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw ApiError.badRequest("field 'types' must be an array of event types").exception();
            }
            t.forEach(x -> types.add(x.asText()));
        }
        URI url;
        try {
            url = new URI(ApiRoutes.text(body, "url"));
        } catch (java.net.URISyntaxException e) {
            throw new ApiError(400, "INVALID_URL", "url: " + e.getMessage()).exception();
        }
        try {
            ApiRoutes.respond(ctx, 201, ReferralJson.subscription(webhooks.subscribe(campaign, types, url), true));
        } catch (WebhookException e) {
            throw webhookError(e).exception();
        }
    }

    private void unsubscribe(Context ctx) {
        String id = ctx.pathParam("id");
        if (!webhooks.unsubscribe(id)) {
            throw ApiError.notFound("no webhook subscription " + id).exception();
        }
        ApiRoutes.respond(ctx, 200, Map.of("id", id, "deleted", true));
    }

    private void deliveries(Context ctx) {
        String id = ctx.pathParam("id");
        int limit = (int) Math.min(ApiRoutes.longQuery(ctx, "limit").orElse(100L), Webhooks.MAX_LIST);
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subscription", ReferralJson.subscription(webhooks.subscription(id).orElseThrow(), false));
            m.put("deliveries", webhooks.deliveries(id, limit).stream().map(ReferralJson::attempt).toList());
            m.put("pending", webhooks.pending(id, limit).stream().map(ReferralJson::pending).toList());
            ApiRoutes.respond(ctx, 200, m);
        } catch (WebhookException e) {
            throw webhookError(e).exception();
        } catch (java.util.NoSuchElementException e) {
            throw ApiError.notFound("no webhook subscription " + id).exception();
        }
    }

    private void retry(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            ApiRoutes.respond(ctx, 200, Map.of("id", id, "retried", webhooks.retryNow(id)));
        } catch (WebhookException e) {
            throw webhookError(e).exception();
        }
    }

    private static ApiError webhookError(WebhookException e) {
        return switch (e.error()) {
            case UNKNOWN_SUBSCRIPTION -> new ApiError(404, "NOT_FOUND", e.getMessage());
            case TOO_MANY_SUBSCRIPTIONS -> new ApiError(409, e.code(), e.getMessage());
            default -> new ApiError(400, e.code(), e.getMessage());
        };
    }
}
