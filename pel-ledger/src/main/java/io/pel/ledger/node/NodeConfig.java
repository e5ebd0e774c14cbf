package io.pel.ledger.node;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.SignedTransaction;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Node} runs. {@link #defaults} gives the documented defaults; the {@code with…} methods change one
 * setting. Every limit is bounded and checked here, so a node never starts with a nonsensical one.
 *
 * @param chainId        the chain this node accepts transactions for (no default: required)
 * @param admin          the account allowed to mint; empty: nobody may mint (default: empty)
 * @param threads        engine worker threads, also the Merkle update's parallelism
 *                       (default: available processors)
 * @param blockMaxTxs    a block is produced as soon as this many transactions are ready, and holds at most
 *                       this many (default 1000, at most {@link Block#MAX_TRANSACTIONS})
 * @param blockInterval  otherwise a block is produced this long after the last one, if any transaction is
 *                       ready; no empty blocks are made (default 200 ms)
 * @param mempoolSize    transactions admitted but not yet committed, at most (default 10 000)
 * @param nonceWindow    a transaction's nonce may be at most this far past its sender's committed next nonce
 *                       (default 64)
 * @param maxTxBytes     larger submissions are rejected before decoding
 *                       (default {@link SignedTransaction#MAX_ENCODED_LENGTH})
 * @param verifyThreads  threads that check signatures of a batch submission in parallel (default 2)
 * @param trace          whether blocks run with the engine's per-task trace, handed to the
 *                       {@link BlockListener} (for execution timelines; default off: it costs an object per task)
 */
public record NodeConfig(ChainId chainId, Optional<AccountId> admin, int threads, int blockMaxTxs,
                         Duration blockInterval, int mempoolSize, int nonceWindow, int maxTxBytes,
                         int verifyThreads, boolean trace) {

    public static final int DEFAULT_BLOCK_MAX_TXS = 1000;
    public static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofMillis(200);
    public static final int DEFAULT_MEMPOOL_SIZE = 10_000;
    public static final int DEFAULT_NONCE_WINDOW = 64;
    public static final int DEFAULT_VERIFY_THREADS = 2;

    public NodeConfig {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(blockInterval, "blockInterval");
        require(threads >= 1 && threads <= 1024, "threads", threads);
        require(blockMaxTxs >= 1 && blockMaxTxs <= Block.MAX_TRANSACTIONS, "blockMaxTxs", blockMaxTxs);
        require(!blockInterval.isNegative() && !blockInterval.isZero()
                && blockInterval.compareTo(Duration.ofHours(1)) <= 0, "blockInterval", blockInterval);
        require(mempoolSize >= 1 && mempoolSize <= 10_000_000, "mempoolSize", mempoolSize);
        require(nonceWindow >= 1, "nonceWindow", nonceWindow);
        require(maxTxBytes >= 1, "maxTxBytes", maxTxBytes);
        require(verifyThreads >= 1 && verifyThreads <= 256, "verifyThreads", verifyThreads);
    }

    private static void require(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
    }

    public static NodeConfig defaults(ChainId chainId) {
        return new NodeConfig(chainId, Optional.empty(), Runtime.getRuntime().availableProcessors(),
                DEFAULT_BLOCK_MAX_TXS, DEFAULT_BLOCK_INTERVAL, DEFAULT_MEMPOOL_SIZE, DEFAULT_NONCE_WINDOW,
                SignedTransaction.MAX_ENCODED_LENGTH, DEFAULT_VERIFY_THREADS, false);
    }

    public NodeConfig withAdmin(AccountId admin) {
        return new NodeConfig(chainId, Optional.of(admin), threads, blockMaxTxs, blockInterval, mempoolSize,
                nonceWindow, maxTxBytes, verifyThreads, trace);
    }

    public NodeConfig withThreads(int threads) {
        return new NodeConfig(chainId, admin, threads, blockMaxTxs, blockInterval, mempoolSize, nonceWindow,
                maxTxBytes, verifyThreads, trace);
    }

    public NodeConfig withBlockMaxTxs(int blockMaxTxs) {
        return new NodeConfig(chainId, admin, threads, blockMaxTxs, blockInterval, mempoolSize, nonceWindow,
                maxTxBytes, verifyThreads, trace);
    }

    public NodeConfig withBlockInterval(Duration blockInterval) {
        return new NodeConfig(chainId, admin, threads, blockMaxTxs, blockInterval, mempoolSize, nonceWindow,
                maxTxBytes, verifyThreads, trace);
    }

    public NodeConfig withMempoolSize(int mempoolSize) {
        return new NodeConfig(chainId, admin, threads, blockMaxTxs, blockInterval, mempoolSize, nonceWindow,
                maxTxBytes, verifyThreads, trace);
    }

    public NodeConfig withNonceWindow(int nonceWindow) {
        return new NodeConfig(chainId, admin, threads, blockMaxTxs, blockInterval, mempoolSize, nonceWindow,
                maxTxBytes, verifyThreads, trace);
    }

    public NodeConfig withTrace(boolean trace) {
        return new NodeConfig(chainId, admin, threads, blockMaxTxs, blockInterval, mempoolSize, nonceWindow,
                maxTxBytes, verifyThreads, trace);
    }
}
