package io.pel.cli;

import java.io.PrintWriter;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import io.pel.ledger.Keys;
import io.pel.ledger.codec.EncodingException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel keys}: makes an Ed25519 key pair and prints its seed (the secret) and account id, both hex; with
 * {@code --seed}, prints the account of an existing seed instead. Exit code 0, or 2 for a malformed seed.
 */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "Generates an Ed25519 key pair and prints its 32-byte seed and its account id (the public key), in hex.",
            "The seed is the secret: whoever holds it controls the account."
        },
        sortOptions = false)
final class KeysCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", paramLabel = "HEX",
            description = "Derive from this 64-hex-digit seed instead of generating a new one.")
    String seed;

    @Option(names = "--json", description = "Print {\"seed\": …, \"account\": …} instead of two lines.")
    boolean json;

    @Override
    public Integer call() {
        KeyPair keys;
        if (seed == null) {
            keys = Keys.generate();
        } else {
            try {
                keys = Keys.fromSeedHex(seed);
            } catch (EncodingException e) {
                throw new ParameterException(spec.commandLine(), "--seed is not a 32-byte hex seed: " + e.getMessage());
            }
        }
        String seedHex = Keys.seedHex(keys);
        String account = Keys.accountId(keys).toHex();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println("{\"seed\":\"" + seedHex + "\",\"account\":\"" + account + "\"}");
        } else {
            out.println("seed:    " + seedHex);
            out.println("account: " + account);
        }
        out.flush();
        return 0;
    }
}
