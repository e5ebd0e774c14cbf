/** The HTTP/JSON API, the live dashboard, metrics and webhooks around an embedded node. */
package io.pel.server;
