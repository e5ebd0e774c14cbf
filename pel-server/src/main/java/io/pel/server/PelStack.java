package io.pel.server;

import io.pel.ledger.node.Applications;
import io.pel.ledger.node.BlockListener;
import io.pel.ledger.node.CommittedBlock;
import io.pel.ledger.node.InOrderListener;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.NodeConfig;
import io.pel.referral.ReferralApp;
import io.pel.referral.ReferralOptions;
import io.pel.referral.ReferralService;
import io.pel.referral.ReferralViews;
import io.pel.server.webhook.WebhookConfig;
import io.pel.server.webhook.Webhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a PEL process runs, wired once: a ledger {@link Node} running the referral program, the referral
 * views, the dashboard's {@link ChainObserver}, the webhook outbox, and (on {@link #serve}) the HTTP server. Used
 * by {@code pel serve} and {@code pel demo}.
 *
 * <p>Data layout: {@code DIR/ledger} holds the chain (RocksDB), {@code DIR/webhooks} the webhook outbox. Every
 * derived part is fed in height order ({@link InOrderListener}): on open the views are rebuilt from the chain and the
 * outbox publishes the blocks it had not seen, so a crash between a block's commit and its webhooks loses none.
 */
public final class PelStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PelStack.class);

    /** The ledger's directory inside a stack's data directory. */
    public static final String LEDGER_DIR = "ledger";
    /** The webhook outbox's directory inside a stack's data directory. */
    public static final String WEBHOOKS_DIR = "webhooks";

    private final Path directory;
    private final Node node;
    private final ReferralViews views;
    private final ReferralService referral;
    private final ChainObserver observer;
    private final Webhooks webhooks;
    private final List<BlockListener> extra;
    private volatile PelServer server;

    private PelStack(Path directory, Node node, ReferralViews views, ChainObserver observer, Webhooks webhooks,
                     List<BlockListener> extra) {
        this.directory = directory;
        this.node = node;
        this.views = views;
        this.referral = new ReferralService(node, views);
        this.observer = observer;
        this.webhooks = webhooks;
        this.extra = extra;
    }

    /** Opens (or creates) the stack in {@code directory}; see the class comment. */
    public static PelStack open(Path directory, NodeConfig config) {
        return open(directory, config, ReferralOptions.DEFAULT, WebhookConfig.defaults());
    }

    public static PelStack open(Path directory, NodeConfig config, ReferralOptions referralOptions,
                                WebhookConfig webhookConfig) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        Webhooks webhooks = Webhooks.open(directory.resolve(WEBHOOKS_DIR), webhookConfig);
        ReferralViews views = new ReferralViews();
        ChainObserver observer = new ChainObserver();
        InOrderListener toViews = new InOrderListener(() -> views.height() + 1, views);
        InOrderListener toWebhooks = new InOrderListener(() -> webhooks.lastPublishedHeight() + 1,
                block -> webhooks.publish(block.height(), ReferralWebhookEvents.of(block)));
        List<BlockListener> extra = new CopyOnWriteArrayList<>();
        BlockListener all = block -> {
            // Views first: a submitter told "committed" then reads leaderboards that include its block.
            feed(toViews, block);
            feed(observer, block);
            feed(toWebhooks, block);
            extra.forEach(listener -> feed(listener, block));
        };
        Node node;
        try {
            node = Node.open(directory.resolve(LEDGER_DIR), config, Applications.of(new ReferralApp(referralOptions)),
                    all);
        } catch (RuntimeException e) {
            webhooks.close();
            throw e;
        }
        try {
            toViews.attach(node);
            toWebhooks.attach(node);
            toViews.catchUp();
            toWebhooks.catchUp();
        } catch (RuntimeException e) {
            node.close();
            webhooks.close();
            throw e;
        }
        log.info("stack open in {}: height {}, views at {}, webhooks published to {}", directory, node.height(),
                views.height(), webhooks.lastPublishedHeight());
        return new PelStack(directory, node, views, observer, webhooks, extra);
    }

    private static void feed(BlockListener listener, CommittedBlock block) {
        try {
            listener.committed(block);
        } catch (RuntimeException e) {
            log.warn("a block listener failed on block {}; it catches up at the next block", block.height(), e);
        }
    }

    /**
     * Starts the HTTP API and dashboard with the referral module ({@link ReferralApi}, signing with {@code keys})
     * and {@code modules}.
     */
    public synchronized PelServer serve(ServerConfig config, OperatorKeys keys, List<ApiModule> modules) {
        List<ApiModule> all = new ArrayList<>();
        all.add(new ReferralApi(this, keys));
        all.addAll(modules);
        return serve(config, all);
    }

    /** Starts the HTTP API and dashboard with exactly {@code modules} besides the ledger's own endpoints. */
    public synchronized PelServer serve(ServerConfig config, List<ApiModule> modules) {
        if (server != null) {
            throw new IllegalStateException("already serving at " + server.url());
        }
        List<ApiModule> all = new ArrayList<>(modules);
        server = PelServer.start(node, observer, config, all);
        return server;
    }

    /** Also tells {@code listener} about every block committed from now on (after views, dashboard, webhooks). */
    public void addListener(BlockListener listener) {
        extra.add(Objects.requireNonNull(listener, "listener"));
    }

    public Path directory() {
        return directory;
    }

    public Node node() {
        return node;
    }

    public ReferralService referral() {
        return referral;
    }

    public ReferralViews views() {
        return views;
    }

    public ChainObserver observer() {
        return observer;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    /** Stops HTTP, then closes the node (finishing the block in flight) and the outbox. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                node.close();
            } finally {
                webhooks.close();
            }
        }
    }
}
