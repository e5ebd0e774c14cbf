package io.pel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where an {@link ApiModule} declares its routes: each route is registered with Javalin and documented in the
 * same call, so {@code /openapi.json} lists every route. Also the small toolkit handlers decode and encode
 * with — JSON bodies, hex parameters, JSON answers — so every module answers errors the same way.
 */
public final class ApiRoutes {

    /** The JSON mapper every answer is written with. */
    public static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final RoutesConfig routes;
    private final Optional<String> adminToken;
    private final List<RouteDoc> docs;
    private String tag = "ledger";

    ApiRoutes(RoutesConfig routes, Optional<String> adminToken, List<RouteDoc> docs) {
        this.routes = routes;
        this.adminToken = adminToken;
        this.docs = docs;
    }

    /** Routes registered from now on carry this OpenAPI tag (the server sets each module's name). */
    ApiRoutes tag(String tag) {
        this.tag = Objects.requireNonNull(tag, "tag");
        return this;
    }

    public ApiRoutes get(String path, String summary, List<String> queryParams, Handler handler) {
        return add("GET", path, summary, queryParams, false, "application/json", handler);
    }

    public ApiRoutes post(String path, String summary, List<String> queryParams, Handler handler) {
        return add("POST", path, summary, queryParams, false, "application/json", handler);
    }

    /** A GET answered with another media type than JSON (metrics text, …). */
    public ApiRoutes getAs(String path, String summary, String produces, Handler handler) {
        return add("GET", path, summary, List.of(), false, produces, handler);
    }

    /** A GET that needs the admin token (see {@link ServerConfig#adminToken()}). */
    public ApiRoutes adminGet(String path, String summary, List<String> queryParams, Handler handler) {
        return add("GET", path, summary, queryParams, true, "application/json", admin(handler));
    }

    /** A POST that needs the admin token (see {@link ServerConfig#adminToken()}). */
    public ApiRoutes adminPost(String path, String summary, List<String> queryParams, Handler handler) {
        return add("POST", path, summary, queryParams, true, "application/json", admin(handler));
    }

    /** A DELETE that needs the admin token (see {@link ServerConfig#adminToken()}). */
    public ApiRoutes adminDelete(String path, String summary, List<String> queryParams, Handler handler) {
        return add("DELETE", path, summary, queryParams, true, "application/json", admin(handler));
    }

    /** A server-sent-events stream; {@code client} is called once per connection. */
    public ApiRoutes sse(String path, String summary, Consumer<SseClient> client) {
        routes.sse(path, client);
        docs.add(new RouteDoc("GET", path, summary, tag, List.of(), false, "text/event-stream"));
        return this;
    }

    private ApiRoutes add(String method, String path, String summary, List<String> queryParams, boolean admin,
                          String produces, Handler handler) {
        switch (method) {
            case "GET" -> routes.get(path, handler);
            case "POST" -> routes.post(path, handler);
            case "DELETE" -> routes.delete(path, handler);
            default -> throw new IllegalArgumentException("unsupported method " + method);
        }
        docs.add(new RouteDoc(method, path, summary, tag, queryParams, admin, produces));
        return this;
    }

    /**
     * 401 {@code UNAUTHORIZED} without a bearer token, 403 {@code FORBIDDEN} with a wrong one or when the server
     * has no admin token (admin endpoints disabled). Tokens are compared in constant time.
     */
    private Handler admin(Handler handler) {
        return ctx -> {
            if (adminToken.isEmpty()) {
                throw new ApiError(403, "FORBIDDEN", "admin endpoints are disabled: the server has no admin token")
                        .exception();
            }
            String header = ctx.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ApiError(401, "UNAUTHORIZED", "this endpoint needs 'Authorization: Bearer <admin token>'")
                        .exception();
            }
            byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, adminToken.get().getBytes(StandardCharsets.UTF_8))) {
                throw new ApiError(403, "FORBIDDEN", "wrong admin token").exception();
            }
            handler.handle(ctx);
        };
    }

    // ---- decoding and encoding, shared by every module's handlers ----

    /** The request body as a JSON object; 400 {@code BAD_REQUEST} if it is not one. */
    public static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("the body is not valid JSON").exception();
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object").exception();
        }
        return node;
    }

    /** A required string field; 400 {@code BAD_REQUEST} if absent or not a string. */
    public static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiError.badRequest("field '" + field + "' is required and must be a string").exception();
        }
        return value.asText();
    }

    /** Hex digits as bytes, or 400 with {@code code} if they are not hex. */
    public static byte[] hex(String digits, String what, String code) {
        try {
            return HexFormat.of().parseHex(digits.strip());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, code, what + " is not hexadecimal: " + e.getMessage()).exception();
        }
    }

    /** A path parameter as hex bytes; 400 {@code BAD_REQUEST} if not hex. */
    public static byte[] hexParam(Context ctx, String name) {
        return hex(ctx.pathParam(name), name, "BAD_REQUEST");
    }

    /** An optional non-negative integer query parameter; 400 {@code BAD_REQUEST} if malformed. */
    public static Optional<Long> longQuery(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return Optional.of(parsed);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be a non-negative integer").exception();
        }
    }

    /** Answers {@code value} as JSON with {@code status}. */
    public static void respond(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an answer as JSON", e);
        }
    }

    /** Answers {@code error} as JSON {@code {"code","message"}} with its status (and Retry-After). */
    public static void respond(Context ctx, ApiError error) {
        if (error.retryAfterSec() > 0) {
            ctx.header("Retry-After", Integer.toString(error.retryAfterSec()));
        }
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("code", error.code());
        body.put("message", error.message());
        respond(ctx, error.status(), body);
    }

    static List<RouteDoc> newDocList() {
        return new ArrayList<>();
    }
}
