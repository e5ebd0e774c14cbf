package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ALICE = Keys.fromSeed(seed(1));
    private static final AccountId BOB = Keys.accountId(Keys.fromSeed(seed(2)));

    static byte[] seed(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return seed;
    }

    private static List<SignedTransaction> transactions(int n) {
        List<SignedTransaction> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            txs.add(SignedTransaction.sign(ALICE, CHAIN, i, new Payload.Transfer(BOB, 1 + i)));
        }
        return txs;
    }

    private static Block block(int n) {
        return Block.of(7, Hash.sha256(new byte[] {1}), 1_700_000_000_000L, transactions(n),
                Hash.sha256(new byte[] {2}));
    }

    private static EncodingError reason(byte[] bytes) {
        try {
            Block block = Block.decode(bytes);
            throw new AssertionError("decoded " + block);
        } catch (EncodingException e) {
            assertThat(e.code()).isEqualTo("BAD_ENCODING");
            return e.reason();
        }
    }

    @Test
    void roundTripsAndReencodesToTheSameBytes() throws EncodingException {
        for (int n : new int[] {0, 1, 5}) {
            Block block = block(n);
            byte[] bytes = block.encode();
            Block decoded = Block.decode(bytes);
            assertThat(decoded).isEqualTo(block);
            assertThat(decoded.encode()).isEqualTo(bytes);
            assertThat(decoded.hash()).isEqualTo(block.hash());
        }
    }

    @Test
    void hashIsTheSha256OfTheHeaderEncoding() throws EncodingException {
        Block block = block(3);
        byte[] header = block.header().encode();
        assertThat(header).hasSize(BlockHeader.ENCODED_LENGTH);
        assertThat(block.hash()).isEqualTo(Hash.sha256(header));
        assertThat(BlockHeader.decode(header)).isEqualTo(block.header());
        // The header leads the block's encoding.
        assertThat(Arrays.copyOf(block.encode(), header.length)).isEqualTo(header);
    }

    @Test
    void transactionRootIsTheListHashOfTheTransactionHashes() {
        List<SignedTransaction> txs = transactions(2);
        byte[] expected = new byte[4 + 64];
        expected[3] = 2;
        txs.get(0).hash().copyTo(expected, 4);
        txs.get(1).hash().copyTo(expected, 36);
        assertThat(Block.transactionRoot(txs)).isEqualTo(Hash.sha256(expected));
        assertThat(Block.transactionRoot(List.of())).isEqualTo(Hash.sha256(new byte[4]));
        assertThat(Block.transactionRoot(txs.reversed())).isNotEqualTo(Block.transactionRoot(txs));
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() {
        byte[] bytes = block(2).encode();
        for (int cut = 0; cut < bytes.length; cut += 7) {
            assertThat(reason(Arrays.copyOf(bytes, cut))).isEqualTo(EncodingError.TRUNCATED);
        }
        assertThat(reason(Arrays.copyOf(bytes, bytes.length + 1))).isEqualTo(EncodingError.TRAILING_BYTES);
    }

    @Test
    void rejectsAnUnknownVersionANegativeHeightAndAnOverLongCount() {
        byte[] bytes = block(1).encode();
        byte[] version = bytes.clone();
        version[0] = 2;
        assertThat(reason(version)).isEqualTo(EncodingError.UNKNOWN_TAG);
        byte[] height = bytes.clone();
        height[1] = (byte) 0x80;
        assertThat(reason(height)).isEqualTo(EncodingError.INVALID_VALUE);
        byte[] count = bytes.clone();
        count[BlockHeader.ENCODED_LENGTH] = 0x7F;
        assertThat(reason(count)).isEqualTo(EncodingError.TOO_LONG);
    }

    @Test
    void rejectsATransactionRootThatDoesNotMatch() {
        byte[] bytes = block(2).encode();
        int rootOffset = 1 + 8 + 32 + 8;
        bytes[rootOffset] ^= 1;
        assertThat(reason(bytes)).isEqualTo(EncodingError.INVALID_VALUE);
        Block good = block(2);
        BlockHeader header = good.header();
        assertThatThrownBy(() -> new Block(header, good.transactions().subList(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsABadTransactionInside() {
        byte[] bytes = block(1).encode();
        // The transaction's format version sits right after its 4-byte length.
        bytes[BlockHeader.ENCODED_LENGTH + 4 + 4] = 9;
        assertThat(reason(bytes)).isEqualTo(EncodingError.UNKNOWN_TAG);
    }
}
