package io.pel.cli;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.ChainAudit;
import io.pel.ledger.node.NodeConfig;
import io.pel.ledger.store.ChainRules;
import io.pel.server.OperatorKeys;
import io.pel.server.PelServer;
import io.pel.server.PelStack;
import io.pel.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel serve}: opens a {@link PelStack} (node running the referral program, views, webhook outbox) on a data
 * directory, with blocks traced for the dashboard's timelines, and serves the HTTP API — ledger and referral
 * endpoints — and the dashboard until SIGTERM or Ctrl-C; then stops HTTP and closes the stack, which finishes the
 * block in flight and closes RocksDB.
 *
 * <p>The chain's admin: {@code --admin} if given; else the admin the ledger recorded when first opened; else (a new
 * directory) the operator admin key in {@code DIR/keys}, created on first start. Admin-signed endpoints work only
 * when the server holds the admin's key (otherwise 403 {@code NO_ADMIN_KEY}).
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {"Runs a node with the referral program, the HTTP/JSON API, metrics and the live dashboard "
                + "until interrupted.",
            "Data directory layout: DIR/ledger (the chain, RocksDB), DIR/webhooks (the webhook outbox), DIR/keys "
                + "(operator keys, one 64-hex-digit seed per file, owner-only: admin.seed, the chain admin's key on "
                + "a new directory; reporter-00.seed … reporter-15.seed, which sign clicks and reported events), "
                + "DIR/landing-urls.properties (where /r/{code} redirects, per campaign). "
                + "pel verify and pel replay accept DIR."},
        sortOptions = false)
final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./pel-data",
            description = "The data directory (layout above), created if absent (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "T",
            description = "Engine worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--chain-id", paramLabel = "ID", defaultValue = "pel-local",
            description = "The chain this node accepts transactions for (default: ${DEFAULT-VALUE}).")
    String chainId;

    @Option(names = "--admin", paramLabel = "ACCOUNT",
            description = "The chain's admin account (64 hex digits): mints, campaigns, reviews. Default: the one "
                    + "the data directory recorded, or on a new directory the generated key in DIR/keys/admin.seed. "
                    + "A data directory keeps the chain id and admin it was first opened with.")
    String admin;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:PEL_ADMIN_TOKEN}",
            description = "Bearer token for the admin endpoints (default: $PEL_ADMIN_TOKEN); without one they are "
                    + "disabled.")
    String adminToken;

    @Option(names = "--block-max-txs", paramLabel = "N", defaultValue = "" + NodeConfig.DEFAULT_BLOCK_MAX_TXS,
            description = "A block is made as soon as this many transactions are ready (default: ${DEFAULT-VALUE}).")
    int blockMaxTxs;

    @Option(names = "--block-interval-ms", paramLabel = "MS", defaultValue = "200",
            description = "Otherwise a block is made this long after the last (default: ${DEFAULT-VALUE}).")
    long blockIntervalMs;

    @Override
    public Integer call() throws Exception {
        NodeConfig nodeConfig;
        ServerConfig serverConfig;
        try {
            nodeConfig = NodeConfig.defaults(ChainId.of(chainId)).withBlockMaxTxs(blockMaxTxs)
                    .withBlockInterval(Duration.ofMillis(blockIntervalMs)).withTrace(true);
            if (threads != null) {
                nodeConfig = nodeConfig.withThreads(threads);
            }
            if (admin != null) {
                nodeConfig = nodeConfig.withAdmin(AccountId.fromHex(admin));
            }
            serverConfig = ServerConfig.defaults().withHost(host).withPort(port).withAdminToken(adminToken);
        } catch (IllegalArgumentException | EncodingException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }

        OperatorKeys keys = OperatorKeys.loadOrCreate(data.resolve("keys"));
        Optional<AccountId> chainAdmin;
        String adminOrigin;
        Optional<ChainRules> recorded = ChainAudit.rules(data.resolve(PelStack.LEDGER_DIR));
        if (nodeConfig.admin().isPresent()) {
            chainAdmin = nodeConfig.admin();
            adminOrigin = "--admin";
        } else if (recorded.isPresent()) {
            chainAdmin = recorded.get().admin();
            adminOrigin = "recorded in " + data.resolve(PelStack.LEDGER_DIR);
        } else {
            chainAdmin = keys.adminAccount();
            adminOrigin = "new key in " + data.resolve("keys").resolve("admin.seed");
        }
        if (chainAdmin.isPresent()) {
            nodeConfig = nodeConfig.withAdmin(chainAdmin.get());
        }
        keys = keys.forChainAdmin(chainAdmin);

        PelStack stack = PelStack.open(data, nodeConfig);
        PelServer server;
        try {
            server = stack.serve(serverConfig, keys, List.of());
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } finally {
                stopped.countDown();
            }
        }, "pel-serve-shutdown"));

        PrintWriter out = spec.commandLine().getOut();
        out.println("pel serve: chain " + chainId + " at height " + stack.node().height() + " in "
                + data.toAbsolutePath());
        out.println("pel serve: admin " + chainAdmin.map(AccountId::toHex).orElse("(none)") + " (" + adminOrigin
                + "); admin-signed endpoints " + (keys.admin().isPresent() ? "available"
                : "unavailable: the server holds no key for this admin (NO_ADMIN_KEY)"));
        out.println("pel serve: dashboard and API at " + server.url() + "/  (API document: " + server.url()
                + "/openapi.json)");
        out.println("pel serve: admin endpoints " + (serverConfig.adminToken().isPresent() ? "enabled" : "disabled")
                + "; Ctrl-C stops");
        out.flush();
        stopped.await();
        return 0;
    }
}
