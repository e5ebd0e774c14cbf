package io.pel.server;

import java.util.List;
import java.util.Objects;

/**
 * One route as {@code /openapi.json} documents it. {@link ApiRoutes} records one for every route it registers,
 * so the document cannot miss a route.
 *
 * @param method      HTTP method, upper case ({@code GET}, {@code POST})
 * @param path        path template, with {@code {name}} parameters as in OpenAPI
 * @param summary     one line saying what it does
 * @param tag         the module that registered it
 * @param queryParams names of optional query parameters it reads
 * @param admin       whether it needs the admin bearer token
 * @param produces    the response media type
 */
public record RouteDoc(String method, String path, String summary, String tag, List<String> queryParams,
                       boolean admin, String produces) {

    public RouteDoc {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(tag, "tag");
        queryParams = List.copyOf(queryParams);
        Objects.requireNonNull(produces, "produces");
    }

    /** The {@code {name}} parameters of {@link #path}, in order. */
    public List<String> pathParams() {
        return java.util.regex.Pattern.compile("\\{([^}/]+)}").matcher(path).results().map(m -> m.group(1))
                .toList();
    }
}
