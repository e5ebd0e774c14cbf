package io.pel.server;

import java.util.List;

/**
 * A part of the API that plugs into a {@link PelServer}: the ledger's own endpoints are one ({@link LedgerApi}),
 * the referral program's are another. A module registers its routes — each with the documentation that goes
 * into {@code /openapi.json} — through {@link ApiRoutes}, and may add tabs to the dashboard.
 *
 * <p>Handlers stay thin: decode the request (with {@link ApiRoutes#body}, {@link ApiRoutes#hexParam}, …), call
 * the domain, encode the answer ({@link ApiRoutes#respond}). A handler that stops with an {@link ApiError}
 * throws {@link ApiError#exception()}; anything else thrown is a bug and is answered 500 {@code INTERNAL}.
 *
 * <pre>{@code
 * final class ReferralApi implements ApiModule {
 *     public String name() { return "referral"; }
 *     public void register(ApiRoutes routes) {
 *         routes.get("/api/v1/campaigns/{id}/leaderboard", "A campaign's leaderboard", List.of("limit"),
 *                 ctx -> ApiRoutes.respond(ctx, 200, leaderboard(ctx.pathParam("id"))));
 *         routes.adminPost("/api/v1/admin/reviews/{id}/approve", "Approve a held reward", List.of(), …);
 *     }
 *     public List<DashboardPage> dashboardPages() {
 *         return List.of(new DashboardPage("campaigns", "Campaigns", "/referral/campaigns.js"));
 *     }
 *     public List<StaticResources> staticResources() {
 *         return List.of(new StaticResources("/referral", "/referral-dashboard"));
 *     }
 * }
 * PelServer.start(node, observer, config, List.of(new ReferralApi(…)));
 * }</pre>
 */
public interface ApiModule {

    /** A short name; also the OpenAPI tag of the module's routes. */
    String name();

    /** Declares the module's routes. Called once, while the server is being built. */
    void register(ApiRoutes routes);

    /** Tabs this module adds to the dashboard, in order. */
    default List<DashboardPage> dashboardPages() {
        return List.of();
    }

    /** Classpath folders this module serves as static files (its dashboard scripts, styles). */
    default List<StaticResources> staticResources() {
        return List.of();
    }

    /**
     * A dashboard tab. The dashboard loads {@code script} (a URL the module serves, see
     * {@link #staticResources()}), which calls {@code PEL.registerTab({id, title, render(element)})} — see
     * {@code dashboard/app.js}.
     *
     * @param id     a short id, unique among tabs; used in the URL fragment
     * @param title  the tab's label
     * @param script URL of the script that renders the tab
     */
    record DashboardPage(String id, String title, String script) {
    }

    /**
     * Static files a module serves.
     *
     * @param hostedPath      URL prefix, e.g. {@code /referral}
     * @param classpathFolder classpath folder holding the files, e.g. {@code /referral-dashboard}
     */
    record StaticResources(String hostedPath, String classpathFolder) {
    }
}
