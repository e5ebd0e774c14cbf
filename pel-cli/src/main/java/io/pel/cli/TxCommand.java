package io.pel.cli;

import io.pel.client.PelClient;
import io.pel.client.PelClientConfig;
import io.pel.client.PelClientException;
import io.pel.client.Signer;
import io.pel.client.TxOutcome;
import io.pel.client.TxStatus;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import io.pel.referral.ReferralApp;
import io.pel.referral.ReferralCall;
import io.pel.referral.ReferralCodec;
import io.pel.referral.ReferralEvent;
import io.pel.referral.ReferralEvents;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel tx …}: signs a transaction with the caller's key and submits it to a running node's HTTP API
 * ({@code pel serve}, {@code pel demo}) through the Java client, then waits for its commit and prints the
 * outcome — for integrators and operators who do not want to write HTTP code. Exit code 0 when the transaction
 * committed and succeeded, 1 when it was rejected, failed or did not commit in time, 2 for a bad command line.
 */
@Command(name = "tx",
        mixinStandardHelpOptions = true,
        description = "Signs a transaction with your key and submits it to a node's HTTP API, then waits for it.",
        subcommands = {TxCommand.Transfer.class, TxCommand.Mint.class, TxCommand.Join.class, TxCommand.SignUp.class,
            TxCommand.Qualify.class, TxCommand.Refund.class, TxCommand.Redeem.class},
        sortOptions = false)
final class TxCommand {

    /** What every {@code pel tx} subcommand needs: the node, the key, how long to wait. */
    static final class Common {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:8080",
                description = "The node's API (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--seed", paramLabel = "HEX", defaultValue = "${env:PEL_SEED}",
                description = "Your key's 32-byte seed in hex, as `pel keys` prints it (default: $PEL_SEED).")
        String seed;

        @Option(names = "--seed-file", paramLabel = "FILE",
                description = "Read the seed from this file instead (its first line, hex).")
        Path seedFile;

        @Option(names = "--wait-ms", paramLabel = "MS", defaultValue = "10000",
                description = "How long to wait for the commit; 0 submits without waiting (default: ${DEFAULT-VALUE}).")
        long waitMs;
    }

    /** Signs {@code payload} with the caller's key and the node's chain and next nonce, submits, reports. */
    abstract static class Submit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        abstract Payload payload() throws ParameterException;

        @Override
        public Integer call() throws Exception {
            KeyPair keys = keys();
            Payload payload = payload();
            PrintWriter out = spec.commandLine().getOut();
            try (PelClient client = PelClient.connect(common.url, PelClientConfig.defaults())) {
                Signer signer = client.signer(keys);
                SignedTransaction tx = signer.sign(payload);
                out.println("submitting " + tx.hash().toHex() + " from " + signer.account().toHex() + " (nonce "
                        + tx.nonce() + ") to " + common.url);
                if (common.waitMs <= 0) {
                    client.submit(tx);
                    out.println("accepted: pending");
                    out.flush();
                    return 0;
                }
                TxStatus status = client.submitAndWait(tx, Duration.ofMillis(common.waitMs));
                return report(out, status);
            } catch (PelClientException e) {
                out.println("rejected: " + e.serverCode() + ": " + e.getMessage());
                out.flush();
                return 1;
            }
        }

        private int report(PrintWriter out, TxStatus status) {
            if (!status.committed()) {
                out.println("not committed within " + common.waitMs + " ms: still pending");
                out.flush();
                return 1;
            }
            TxOutcome outcome = status.outcome().orElseThrow();
            out.printf(Locale.ROOT, "committed at height %d, index %d: %s%n", status.height(), status.index(),
                    switch (outcome) {
                        case TxOutcome.Success s -> "success";
                        case TxOutcome.Failure f -> "FAILED " + f.code() + ": " + f.message();
                    });
            if (outcome instanceof TxOutcome.Success s && s.output().length() > 0) {
                try {
                    for (ReferralEvent e : ReferralEvents.decode(s.output())) {
                        out.println("  " + e);
                    }
                } catch (EncodingException e) {
                    out.println("  output " + s.output().toHex());
                }
            }
            out.flush();
            return outcome.success() ? 0 : 1;
        }

        private KeyPair keys() {
            String hex = common.seed;
            if (common.seedFile != null) {
                try {
                    hex = Files.readAllLines(common.seedFile, StandardCharsets.US_ASCII).getFirst().trim();
                } catch (java.io.IOException | java.util.NoSuchElementException e) {
                    throw new ParameterException(spec.commandLine(), "cannot read a seed from " + common.seedFile
                            + ": " + e.getMessage());
                }
            }
            if (hex == null || hex.isBlank()) {
                throw new ParameterException(spec.commandLine(), "give your key: --seed HEX, --seed-file FILE or "
                        + "$PEL_SEED (make one with `pel keys`)");
            }
            try {
                return Keys.fromSeedHex(hex.trim());
            } catch (EncodingException e) {
                throw new ParameterException(spec.commandLine(), "the seed is not 32 bytes of hex: " + e.getMessage());
            }
        }

        AccountId account(String hex, String option) {
            try {
                return AccountId.fromHex(hex);
            } catch (EncodingException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), option + " is not an account id: " + e.getMessage());
            }
        }

        Payload call(ReferralCall call) {
            return new Payload.Call(ReferralApp.ID, ReferralCodec.encode(call));
        }

        /** Builds a value whose constructor checks its input, answering a bad one as a usage error. */
        <T> T checked(java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true, description = "Moves an amount to another account.")
    static final class Transfer extends Submit {
        @Option(names = "--to", required = true, paramLabel = "ACCOUNT") String to;
        @Option(names = "--amount", required = true, paramLabel = "N") long amount;

        @Override
        Payload payload() {
            AccountId recipient = account(to, "--to");
            return checked(() -> new Payload.Transfer(recipient, amount));
        }
    }

    @Command(name = "mint", mixinStandardHelpOptions = true,
            description = "Creates an amount on an account (only the chain's admin may).")
    static final class Mint extends Submit {
        @Option(names = "--to", required = true, paramLabel = "ACCOUNT") String to;
        @Option(names = "--amount", required = true, paramLabel = "N") long amount;

        @Override
        Payload payload() {
            AccountId recipient = account(to, "--to");
            return checked(() -> new Payload.Mint(recipient, amount));
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "Joins a referral campaign: your personal referral code is in the output.")
    static final class Join extends Submit {
        @Option(names = "--campaign", required = true) String campaign;
        @Option(names = "--channel", defaultValue = "in-app",
                description = "Where you will share your link (default: ${DEFAULT-VALUE}).") String channel;

        @Override
        Payload payload() {
            return call(checked(() -> new ReferralCall.Join(campaign, channel)));
        }
    }

    @Command(name = "signup", mixinStandardHelpOptions = true,
            description = "Reporter: a new user signed up with a referral code.")
    static final class SignUp extends Submit {
        @Option(names = "--campaign", required = true) String campaign;
        @Option(names = "--code", required = true, description = "The referral code they used.") String code;
        @Option(names = "--channel", defaultValue = "email") String channel;
        @Option(names = "--referee", required = true, paramLabel = "ACCOUNT") String referee;
        @Option(names = "--fingerprint", required = true,
                description = "Any device/browser fingerprint string; its SHA-256 is recorded.") String fingerprint;
        @Option(names = "--email", required = true,
                description = "Their e-mail address; its SHA-256 and its domain are recorded.") String email;
        @Option(names = "--event-id", required = true,
                description = "Your id for this event: a retry with the same id never counts twice.") String eventId;

        @Override
        Payload payload() {
            AccountId who = account(referee, "--referee");
            int at = email.lastIndexOf('@');
            if (at < 1 || at == email.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--email is not an e-mail address: " + email);
            }
            String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
            return call(checked(() -> new ReferralCall.SignUp(campaign, code, channel, who,
                    Hash.sha256(Bytes.utf8(fingerprint).toByteArray()),
                    Hash.sha256(Bytes.utf8(email.toLowerCase(Locale.ROOT)).toByteArray()), domain, eventId)));
        }
    }

    @Command(name = "qualify", mixinStandardHelpOptions = true,
            description = "Reporter: a referred user did the qualifying event (e.g. a first purchase).")
    static final class Qualify extends Submit {
        @Option(names = "--campaign", required = true) String campaign;
        @Option(names = "--referee", required = true, paramLabel = "ACCOUNT") String referee;
        @Option(names = "--event", defaultValue = "purchase") String event;
        @Option(names = "--amount", required = true) long amount;
        @Option(names = "--event-id", required = true) String eventId;

        @Override
        Payload payload() {
            AccountId who = account(referee, "--referee");
            return call(checked(() -> new ReferralCall.Qualify(campaign, who, event, amount, eventId)));
        }
    }

    @Command(name = "refund", mixinStandardHelpOptions = true,
            description = "Reporter: a qualifying event was refunded; its rewards are clawed back.")
    static final class Refund extends Submit {
        @Option(names = "--campaign", required = true) String campaign;
        @Option(names = "--event-id", required = true, description = "The qualifying event's id.") String eventId;

        @Override
        Payload payload() {
            return call(checked(() -> new ReferralCall.Refund(campaign, eventId)));
        }
    }

    @Command(name = "redeem", mixinStandardHelpOptions = true, description = "Spends your points, or claims a perk.")
    static final class Redeem extends Submit {
        @Option(names = "--campaign", required = true) String campaign;
        @Option(names = "--points", defaultValue = "0") long points;
        @Option(names = "--perk", defaultValue = "") String perk;

        @Override
        Payload payload() {
            return call(checked(() -> new ReferralCall.Redeem(campaign, points, perk)));
        }
    }

    static List<String> names() {
        return List.of("transfer", "mint", "join", "signup", "qualify", "refund", "redeem");
    }
}
