package io.pel.client;

import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import java.util.Objects;

/**
 * The chain as a node sees it, from {@code GET /api/v1/chain}.
 *
 * @param chainId   the chain's id: what a transaction must be signed for
 * @param height    the last committed block's height; -1 before the first block
 * @param stateRoot the state root after that block
 * @param pending   transactions waiting in the node's mempool
 */
public record ChainInfo(ChainId chainId, long height, Hash stateRoot, long pending) {

    public ChainInfo {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(stateRoot, "stateRoot");
    }
}
