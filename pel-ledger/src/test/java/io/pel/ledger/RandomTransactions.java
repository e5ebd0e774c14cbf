package io.pel.ledger;

import java.util.Random;

/** Seeded random transaction values, for round-trip and mutation tests. Signatures are random, not valid. */
final class RandomTransactions {

    private static final String CHAIN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    private final Random random;

    RandomTransactions(long seed) {
        random = new Random(seed);
    }

    ChainId chainId() {
        int length = random.nextBoolean() ? 1 + random.nextInt(8) : 1 + random.nextInt(ChainId.MAX_LENGTH);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(CHAIN_CHARS.charAt(random.nextInt(CHAIN_CHARS.length())));
        }
        return ChainId.of(sb.toString());
    }

    AccountId account() {
        byte[] key = new byte[AccountId.LENGTH];
        random.nextBytes(key);
        return AccountId.of(key);
    }

    long amount() {
        return switch (random.nextInt(3)) {
            case 0 -> 1 + random.nextInt(1000);
            case 1 -> Long.MAX_VALUE - random.nextInt(3);
            default -> 1 + (random.nextLong() & Long.MAX_VALUE - 1);
        };
    }

    long nonce() {
        return random.nextBoolean() ? random.nextInt(5) : random.nextLong() & Long.MAX_VALUE;
    }

    Payload payload() {
        return switch (random.nextInt(3)) {
            case 0 -> new Payload.Transfer(account(), amount());
            case 1 -> new Payload.Mint(account(), amount());
            default -> {
                byte[] body = new byte[random.nextBoolean() ? random.nextInt(8) : random.nextInt(
                        Payload.Call.MAX_BODY_BYTES + 1)];
                random.nextBytes(body);
                yield new Payload.Call(1 + random.nextInt(Payload.Call.MAX_APP), Bytes.of(body));
            }
        };
    }

    TransactionBody body() {
        return new TransactionBody(chainId(), account(), nonce(), payload());
    }

    /** A random 64-byte string with S below 2^252, hence below L. */
    Bytes signature() {
        byte[] signature = new byte[SignedTransaction.SIGNATURE_LENGTH];
        random.nextBytes(signature);
        signature[63] &= 0x0F;
        return Bytes.of(signature);
    }

    SignedTransaction signed() {
        return SignedTransaction.of(body(), signature());
    }

    Random random() {
        return random;
    }
}
