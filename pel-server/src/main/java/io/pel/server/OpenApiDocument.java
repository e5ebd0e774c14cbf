package io.pel.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the OpenAPI 3.0 document served at {@code /openapi.json} from the {@link RouteDoc}s recorded as routes
 * were registered. Hand-made because the Javalin OpenAPI plugin does not work with Javalin 7; it documents
 * paths, methods, parameters, media types, the error shape and the admin bearer scheme — not full schemas.
 */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    static Map<String, Object> build(List<RouteDoc> routes, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "PEL API", "version", version,
                "description", "Parallel Execution Layer node: transactions, blocks, state with Merkle proofs, "
                        + "metrics. Errors are JSON {code, message} with a stable code."));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RouteDoc route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(),
                    p -> new LinkedHashMap<String, Object>());
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("summary", route.summary());
            op.put("tags", List.of(route.tag()));
            List<Map<String, Object>> params = new java.util.ArrayList<>();
            for (String p : route.pathParams()) {
                params.add(Map.of("name", p, "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            for (String q : route.queryParams()) {
                params.add(Map.of("name", q, "in", "query", "required", false, "schema", Map.of("type", "string")));
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
            if (route.method().equals("POST")) {
                op.put("requestBody", Map.of("content", Map.of("application/json",
                        Map.of("schema", Map.of("type", "object")))));
            }
            if (route.admin()) {
                op.put("security", List.of(Map.of("adminToken", List.of())));
            }
            Map<String, Object> responses = new LinkedHashMap<>();
            responses.put("200", Map.of("description", "OK", "content", Map.of(route.produces(),
                    Map.of("schema", Map.of("type", route.produces().equals("application/json") ? "object"
                            : "string")))));
            responses.put("default", Map.of("description", "An error",
                    "content", Map.of("application/json", Map.of("schema", Map.of("$ref",
                            "#/components/schemas/Error")))));
            op.put("responses", responses);
            item.put(route.method().toLowerCase(java.util.Locale.ROOT), op);
        }
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "schemas", Map.of("Error", Map.of("type", "object", "required", List.of("code", "message"),
                        "properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string")))),
                "securitySchemes", Map.of("adminToken", Map.of("type", "http", "scheme", "bearer"))));
        return doc;
    }
}
