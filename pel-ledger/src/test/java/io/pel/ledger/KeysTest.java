package io.pel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.security.KeyPair;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeysTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 §7.1, tests 1–3: secret key, public key, message, signature. */
    private static final String[][] RFC_8032 = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
            {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };

    @Test
    void aSeedGivesTheRfc8032KeyPair() throws EncodingException {
        for (String[] vector : RFC_8032) {
            KeyPair keys = Keys.fromSeedHex(vector[0]);
            assertThat(Keys.accountId(keys).toHex()).isEqualTo(vector[1]);
            assertThat(Keys.seedHex(keys)).isEqualTo(vector[0]);
            byte[] signature = Ed25519.sign(keys.getPrivate(), HEX.parseHex(vector[2]));
            assertThat(HEX.formatHex(signature)).isEqualTo(vector[3]);
            assertThat(Ed25519.verify(HEX.parseHex(vector[1]), HEX.parseHex(vector[2]), signature)).isTrue();
        }
    }

    @Test
    void aGeneratedPairSurvivesItsSeed() {
        for (int i = 0; i < 20; i++) {
            KeyPair generated = Keys.generate();
            KeyPair restored = Keys.fromSeed(Keys.seed(generated));
            assertThat(Keys.accountId(restored)).isEqualTo(Keys.accountId(generated));
            assertThat(restored.getPublic().getEncoded()).isEqualTo(generated.getPublic().getEncoded());
            // What one signs, the other's key verifies.
            SignedTransaction tx = SignedTransaction.sign(restored, ChainId.of("c"), i,
                    new Payload.Mint(Keys.accountId(generated), 1));
            assertThat(tx.sender()).isEqualTo(Keys.accountId(generated));
            assertThat(tx.verify()).isTrue();
        }
    }

    @Test
    void accountIdsConvertToAndFromTheJdkForm() throws EncodingException {
        KeyPair keys = Keys.generate();
        AccountId id = Keys.accountId(keys);
        assertThat(id.toPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(AccountId.of(id.toPublicKey())).isEqualTo(id);
        assertThat(AccountId.fromHex(id.toHex())).isEqualTo(id);
        assertThat(AccountId.fromHex(id.toHex().toUpperCase())).isEqualTo(id);
    }

    @Test
    void badHexIsAnInvalidValue() {
        String[] bad = {"", "00", "0".repeat(63), "0".repeat(65), "g".repeat(64), "0x" + "0".repeat(62)};
        for (String hex : bad) {
            assertThatThrownBy(() -> Keys.fromSeedHex(hex)).as(hex).isInstanceOfSatisfying(EncodingException.class,
                    e -> assertThat(e.reason()).isEqualTo(EncodingError.INVALID_VALUE));
            assertThatThrownBy(() -> AccountId.fromHex(hex)).as(hex).isInstanceOf(EncodingException.class);
        }
    }

    @Test
    void onlyEd25519KeysAreAccepted() throws Exception {
        KeyPair ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> AccountId.of(ec.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.seed(ec)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.fromSeed(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
