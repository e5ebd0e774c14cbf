package io.pel.ledger.store;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a chain's blocks mean but do not record: the chain id its transactions are signed for, and the account
 * allowed to mint. A {@link LedgerStore} keeps them in its {@code meta} column family from the first open of a
 * node on it, so that a node reopened with other rules is refused and a replay needs no outside knowledge.
 *
 * @param chainId the chain id
 * @param admin   the account allowed to mint; empty: nobody may
 */
public record ChainRules(ChainId chainId, Optional<AccountId> admin) {

    public ChainRules {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(admin, "admin");
    }

    /** "chain X, admin Y" or "chain X, no admin": for messages. */
    public String describe() {
        return "chain " + chainId + ", " + admin.map(a -> "admin " + a.toHex()).orElse("no admin");
    }
}
