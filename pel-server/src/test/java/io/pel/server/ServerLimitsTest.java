package io.pel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limiting, a server without an admin token, and the {@link ApiModule} extension point. */
class ServerLimitsTest {

    @TempDir
    Path dir;

    /** A module as the referral program would add one: a route, a failing route, a dashboard tab. */
    static final class ExampleModule implements ApiModule {
        @Override
        public String name() {
            return "example";
        }

        @Override
        public void register(ApiRoutes routes) {
            routes.get("/api/v1/example/{id}", "Echoes its id", List.of(), ctx ->
                    ApiRoutes.respond(ctx, 200, Map.of("id", ctx.pathParam("id"))));
            routes.get("/api/v1/example-broken", "Always fails: a bug", List.of(), ctx -> {
                throw new IllegalStateException("secret internal detail");
            });
            routes.adminPost("/api/v1/admin/example", "Needs the admin token", List.of(), ctx ->
                    ApiRoutes.respond(ctx, 200, Map.of("done", true)));
        }

        @Override
        public List<DashboardPage> dashboardPages() {
            return List.of(new DashboardPage("example", "Example", "/example.js"));
        }
    }

    @Test
    void aFloodIsAnsweredRateLimitedAndHealthStillAnswers() {
        try (TestChain chain = new TestChain(dir, ServerConfig.defaults().withRateLimit(5, 10), List.of())) {
            int limited = 0;
            TestChain.Answer last = null;
            for (int i = 0; i < 40; i++) {
                TestChain.Answer a = chain.get("/api/v1/chain");
                if (a.status() == 429) {
                    limited++;
                    last = a;
                } else {
                    assertThat(a.status()).isEqualTo(200);
                }
            }
            assertThat(limited).isGreaterThanOrEqualTo(20);
            assertThat(last.json().get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(last.response().headers().firstValue("Retry-After")).isPresent();
            TestChain.Answer health = chain.get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void modulesAddRoutesDocumentationAndTabsAndBugsAreAnsweredWithoutDetails() {
        try (TestChain chain = new TestChain(dir, ServerConfig.defaults(), List.of(new ExampleModule()))) {
            assertThat(chain.get("/api/v1/example/42").json().get("id").asText()).isEqualTo("42");

            TestChain.Answer broken = chain.get("/api/v1/example-broken");
            assertThat(broken.status()).isEqualTo(500);
            assertThat(broken.json().get("code").asText()).isEqualTo("INTERNAL");
            assertThat(broken.body()).doesNotContain("secret internal detail", "IllegalStateException", "at io.");

            JsonNode paths = chain.get("/openapi.json").json().get("paths");
            assertThat(paths.get("/api/v1/example/{id}").get("get").get("tags").get(0).asText()).isEqualTo("example");
            assertThat(paths.get("/api/v1/example/{id}").get("get").get("parameters").get(0).get("name").asText())
                    .isEqualTo("id");
            JsonNode pages = chain.get("/api/v1/dashboard/modules").json().get("pages");
            assertThat(pages.get(0).get("id").asText()).isEqualTo("example");
            assertThat(pages.get(0).get("script").asText()).isEqualTo("/example.js");

            // No admin token configured: admin endpoints are disabled, with or without a token.
            TestChain.Answer disabled = chain.send(HttpRequest.newBuilder(chain.uri("/api/v1/admin/example"))
                    .header("Authorization", "Bearer anything").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(disabled.status()).isEqualTo(403);
            assertThat(disabled.json().get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(chain.get("/api/v1/admin/config").json().get("code").asText()).isEqualTo("FORBIDDEN");
        }
    }
}
