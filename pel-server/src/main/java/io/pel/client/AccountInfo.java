package io.pel.client;

import io.pel.ledger.AccountId;
import java.util.Objects;

/**
 * An account's committed state, from {@code GET /api/v1/accounts/{id}}.
 *
 * @param account the account
 * @param balance its committed balance
 * @param nonce   its committed next nonce: the nonce its next transaction must carry (transactions of it still
 *                pending in the mempool are not counted)
 */
public record AccountInfo(AccountId account, long balance, long nonce) {

    public AccountInfo {
        Objects.requireNonNull(account, "account");
    }
}
