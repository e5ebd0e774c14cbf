/**
 * A small Java client for a PEL node's HTTP API: sign transactions with a {@link io.pel.client.Signer} and submit
 * them with a {@link io.pel.client.PelClient}, without writing HTTP code.
 */
package io.pel.client;
