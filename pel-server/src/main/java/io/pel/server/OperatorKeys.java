package io.pel.server;

import io.pel.ledger.AccountId;
import io.pel.ledger.Keys;
import io.pel.ledger.codec.EncodingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys a server signs with on behalf of its operator: the chain's admin key pair (campaigns, reviews,
 * blocklist) and a pool of reporter key pairs (clicks from {@code /r/{code}}, reported events), used round-robin so
 * that no single sender's nonce sequence serializes the traffic.
 *
 * <p>On disk ({@link #loadOrCreate}): {@code DIR/admin.seed} and {@code DIR/reporter-NN.seed}, each the 32-byte
 * Ed25519 seed as 64 hex digits, created from {@link SecureRandom} when missing, readable by the owner only where
 * the file system has POSIX permissions. The admin key may be absent ({@link #withoutAdmin()}): a server serving a
 * chain whose admin is some other account signs no admin calls.
 */
public final class OperatorKeys {

    /** Reporter keys a server uses unless told otherwise. */
    public static final int DEFAULT_REPORTERS = 16;
    /** The most reporter keys: each is authorized per campaign with one transaction. */
    public static final int MAX_REPORTERS = 64;

    static final String ADMIN_FILE = "admin.seed";

    private final Optional<KeyPair> admin;
    private final List<KeyPair> reporters;
    private final AtomicInteger next = new AtomicInteger();

    private OperatorKeys(Optional<KeyPair> admin, List<KeyPair> reporters) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.reporters = List.copyOf(reporters);
        if (this.reporters.isEmpty() || this.reporters.size() > MAX_REPORTERS) {
            throw new IllegalArgumentException("1…" + MAX_REPORTERS + " reporter keys, not " + this.reporters.size());
        }
    }

    /** Keys given explicitly (the demo passes its own). */
    public static OperatorKeys of(KeyPair admin, List<KeyPair> reporters) {
        return new OperatorKeys(Optional.of(Objects.requireNonNull(admin, "admin")), reporters);
    }

    /** Loads the keys in {@code directory}, creating the directory and any missing key; see the class comment. */
    public static OperatorKeys loadOrCreate(Path directory) {
        return loadOrCreate(directory, DEFAULT_REPORTERS);
    }

    public static OperatorKeys loadOrCreate(Path directory, int reporterCount) {
        if (reporterCount < 1 || reporterCount > MAX_REPORTERS) {
            throw new IllegalArgumentException("1…" + MAX_REPORTERS + " reporter keys, not " + reporterCount);
        }
        SecureRandom random = new SecureRandom();
        try {
            Files.createDirectories(directory);
            ownerOnly(directory, "rwx------");
            KeyPair admin = loadOrCreate(directory.resolve(ADMIN_FILE), random);
            List<KeyPair> reporters = new ArrayList<>();
            for (int i = 0; i < reporterCount; i++) {
                reporters.add(loadOrCreate(directory.resolve(String.format("reporter-%02d.seed", i)), random));
            }
            return new OperatorKeys(Optional.of(admin), reporters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create operator keys in " + directory, e);
        }
    }

    private static KeyPair loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            byte[] seed = new byte[Keys.SEED_LENGTH];
            random.nextBytes(seed);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            // Restrict before the secret is written, so it is never readable by others.
            ownerOnly(tmp, "rw-------");
            Files.writeString(tmp, java.util.HexFormat.of().formatHex(seed) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp); // another process created it first: use theirs
            }
        }
        try {
            return Keys.fromSeedHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (EncodingException e) {
            throw new IOException(file + " does not hold a 64-hex-digit key seed: " + e.getMessage(), e);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: it keeps its own access rules.
        }
    }

    /** The same reporters, no admin key: for a chain administered by another account. */
    public OperatorKeys withoutAdmin() {
        return new OperatorKeys(Optional.empty(), reporters);
    }

    /** These keys as a chain administered by {@code chainAdmin} can use them: without the admin key unless it matches. */
    public OperatorKeys forChainAdmin(Optional<AccountId> chainAdmin) {
        return admin.isPresent() && chainAdmin.equals(Optional.of(Keys.accountId(admin.get()))) ? this
                : withoutAdmin();
    }

    public Optional<KeyPair> admin() {
        return admin;
    }

    public Optional<AccountId> adminAccount() {
        return admin.map(Keys::accountId);
    }

    public List<KeyPair> reporters() {
        return reporters;
    }

    public List<AccountId> reporterAccounts() {
        return reporters.stream().map(Keys::accountId).toList();
    }

    /** The next reporter key, round-robin. */
    public KeyPair nextReporter() {
        return reporters.get(Math.floorMod(next.getAndIncrement(), reporters.size()));
    }
}
