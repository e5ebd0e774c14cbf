package io.pel.client;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.security.KeyPair;
import java.util.Objects;

/**
 * Signs payloads as one account on one chain, numbering them with consecutive nonces: the first from the
 * node's committed next nonce (fetched on first use), then counted locally, so transactions signed in a row
 * can be submitted without waiting for each to commit.
 *
 * <p>Thread-safe: concurrent {@link #sign} calls get distinct, consecutive nonces. If a signed transaction is
 * never admitted (rejected, lost), later nonces leave a gap the node will not fill: call {@link #resync()} to
 * start again from the node's committed nonce.
 */
public final class Signer {

    private final PelClient client;
    private final KeyPair keys;
    private final ChainId chainId;
    private final AccountId account;
    /** The nonce the next signed transaction carries; -1 until fetched. */
    private long nextNonce;

    Signer(PelClient client, KeyPair keys, ChainId chainId) {
        this(client, keys, chainId, -1);
    }

    private Signer(PelClient client, KeyPair keys, ChainId chainId, long nextNonce) {
        this.client = client;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.account = Keys.accountId(keys);
        this.nextNonce = nextNonce;
    }

    /** A signer that fetches the account's next nonce from {@code client} on first use. */
    public static Signer of(PelClient client, KeyPair keys, ChainId chainId) {
        return new Signer(Objects.requireNonNull(client, "client"), keys, chainId, -1);
    }

    /** A signer that never asks a node: it starts at {@code nextNonce}. */
    public static Signer offline(KeyPair keys, ChainId chainId, long nextNonce) {
        if (nextNonce < 0) {
            throw new IllegalArgumentException("a nonce is ≥ 0, not " + nextNonce);
        }
        return new Signer(null, keys, chainId, nextNonce);
    }

    /** Signs {@code payload} with the next nonce. */
    public synchronized SignedTransaction sign(Payload payload) throws PelClientException {
        Objects.requireNonNull(payload, "payload");
        if (nextNonce < 0) {
            nextNonce = client.account(account).nonce();
        }
        SignedTransaction tx = SignedTransaction.sign(keys, chainId, nextNonce, payload);
        nextNonce++;
        return tx;
    }

    /** Forgets the local count: the next {@link #sign} fetches the committed nonce again (offline: no-op). */
    public synchronized void resync() {
        if (client != null) {
            nextNonce = -1;
        }
    }

    /** The nonce the next {@link #sign} uses; -1 when it is still to be fetched. */
    public synchronized long nextNonce() {
        return nextNonce;
    }

    public AccountId account() {
        return account;
    }

    public ChainId chainId() {
        return chainId;
    }
}
