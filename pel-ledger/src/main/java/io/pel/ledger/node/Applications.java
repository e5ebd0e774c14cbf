package io.pel.ledger.node;

import io.pel.ledger.Payload;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The applications a node runs, by id. Immutable. The node that makes blocks and every tool that replays them
 * must use the same set, or a replay fails calls the node ran.
 */
public final class Applications {

    private static final Applications NONE = new Applications(Map.of());

    private final Map<Integer, Application> byId;

    private Applications(Map<Integer, Application> byId) {
        this.byId = byId;
    }

    public static Applications none() {
        return NONE;
    }

    /** @throws IllegalArgumentException if two applications share an id, or an id is out of range */
    public static Applications of(Application... applications) {
        Map<Integer, Application> byId = new TreeMap<>();
        for (Application app : applications) {
            if (app.id() < 1 || app.id() > Payload.Call.MAX_APP) {
                throw new IllegalArgumentException("application " + app.name() + " has id " + app.id()
                        + ", outside 1…" + Payload.Call.MAX_APP);
            }
            Application previous = byId.putIfAbsent(app.id(), app);
            if (previous != null) {
                throw new IllegalArgumentException("applications " + previous.name() + " and " + app.name()
                        + " share id " + app.id());
            }
        }
        return new Applications(Map.copyOf(byId));
    }

    public Optional<Application> get(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Application> all() {
        return List.copyOf(new TreeMap<>(byId).values());
    }
}
