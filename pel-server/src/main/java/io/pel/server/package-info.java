/**
 * The HTTP/JSON API, the live dashboard and metrics around an embedded node.
 *
 * <p>Start with {@link io.pel.server.PelServer#start}: open the node with a {@link io.pel.server.ChainObserver}
 * as its block listener (and {@code NodeConfig.withTrace(true)} for timelines), then hand both to the server with
 * any {@link io.pel.server.ApiModule}s (the referral program's routes and dashboard tabs plug in that way).
 * Every route is documented at {@code /openapi.json}; errors are JSON {@code {"code","message"}}
 * ({@link io.pel.server.ApiError}). The dashboard's files are under {@code src/main/resources/dashboard/}.
 */
package io.pel.server;
