package io.pel.cli;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.Applications;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.NodeConfig;
import io.pel.server.ChainObserver;
import io.pel.server.PelServer;
import io.pel.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel serve}: opens a node on a data directory (blocks traced, for the dashboard's timelines) and serves
 * the HTTP API and dashboard until SIGTERM or Ctrl-C; then stops HTTP and closes the node, which finishes the
 * block in flight and closes RocksDB.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Runs a node with the HTTP/JSON API, metrics and the live dashboard until interrupted.",
        sortOptions = false)
final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./pel-data",
            description = "The node's data directory, created if absent (default: ${DEFAULT-VALUE}).")
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
            description = "The account allowed to mint (64 hex digits); none by default. A data directory keeps "
                    + "the chain id and admin it was first opened with.")
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

        ChainObserver observer = new ChainObserver();
        Node node = Node.open(data, nodeConfig, Applications.none(), observer);
        PelServer server;
        try {
            server = PelServer.start(node, observer, serverConfig, List.of());
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                node.close();
                stopped.countDown();
            }
        }, "pel-serve-shutdown"));

        PrintWriter out = spec.commandLine().getOut();
        out.println("pel serve: chain " + chainId + " at height " + node.height() + " in " + data.toAbsolutePath());
        out.println("pel serve: dashboard and API at " + server.url() + "/  (API document: " + server.url()
                + "/openapi.json)");
        out.println("pel serve: admin endpoints " + (serverConfig.adminToken().isPresent() ? "enabled" : "disabled")
                + "; Ctrl-C stops");
        out.flush();
        stopped.await();
        return 0;
    }
}
