package io.pel.referral;

import io.pel.core.Outcome;
import io.pel.core.Transaction;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.BlockInfo;
import io.pel.ledger.node.CallContext;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs referral calls on the engine without a node: for the bench and for tests. Each call becomes an engine
 * {@link Transaction} over the ledger's key space (the program's keys under its prefix), with the same
 * {@link CallContext} a node would give it — minus signatures and nonces. Its transaction hash, which seeds reward
 * ids and codes, is SHA-256 of the block height, the index and the encoded call, so it is unique on the chain.
 */
public final class ReferralBlocks {

    private ReferralBlocks() {
    }

    /** One call and who sends it. */
    public record Item(KeyPair sender, AccountId senderId, ReferralCall call) {
        public Item {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(call, "call");
        }

        public Item(KeyPair sender, ReferralCall call) {
            this(sender, Keys.accountId(sender), call);
        }
    }

    /** The engine transactions of one block; their outputs are the calls' encoded events. */
    public static List<Transaction<Bytes, Bytes, Bytes>> transactions(ReferralApp app, List<Item> items,
                                                                       Optional<AccountId> admin, BlockInfo block) {
        List<Transaction<Bytes, Bytes, Bytes>> txs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            Bytes body = ReferralCodec.encode(item.call());
            Hash txHash = Hash.sha256(ByteBuffer.allocate(12).putLong(block.height()).putInt(i).array(),
                    body.toByteArray(), item.senderId().toByteArray());
            var call = app.bind(item.call());
            txs.add(ctx -> call.execute(CallContext.of(ReferralApp.ID, ctx, item.senderId(), admin, block, txHash)));
        }
        return txs;
    }

    /** The referral codes handed out by the successful Join calls among {@code outcomes}. */
    public static Map<AccountId, String> codes(List<Outcome<Bytes>> outcomes) {
        Map<AccountId, String> codes = new TreeMap<>();
        for (Outcome<Bytes> o : outcomes) {
            if (o instanceof Outcome.Success<Bytes> s) {
                for (ReferralEvent e : events(s.output())) {
                    if (e instanceof ReferralEvent.Joined j) {
                        codes.put(j.participant(), j.code());
                    }
                }
            }
        }
        return codes;
    }

    static List<ReferralEvent> events(Bytes output) {
        try {
            return ReferralEvents.decode(output);
        } catch (EncodingException e) {
            throw new IllegalStateException("a referral output does not decode: " + e, e);
        }
    }
}
