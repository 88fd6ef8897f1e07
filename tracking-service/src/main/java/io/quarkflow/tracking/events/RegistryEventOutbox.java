package io.quarkflow.tracking.events;

import io.quarkflow.events.ModelVersionCreated;
import io.quarkflow.events.ModelVersionDeleted;
import io.quarkflow.events.ModelVersionStageTransitioned;
import io.quarkflow.events.RegisteredModelAliasDeleted;
import io.quarkflow.events.RegisteredModelAliasSet;
import io.quarkflow.events.RegisteredModelCreated;
import io.quarkflow.events.RegisteredModelDeleted;
import io.quarkflow.events.RegisteredModelRenamed;
import io.quarkflow.events.Topics;
import io.quarkflow.outbox.Outbox;
import io.quarkflow.outbox.OutboxEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records model registry events in the outbox inside the caller's transaction, after the change: an event exists
 * only if its change commits. Every caller holds the registered model's row lock (or has just inserted the row), so
 * one model's events are written, and published under its name as key, in the order of its changes.
 */
@ApplicationScoped
public class RegistryEventOutbox {

    private final Outbox outbox;

    public RegistryEventOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> modelCreated(SqlClient client, String name, String description, long now) {
        return append(client, event(name, RegisteredModelCreated.TYPE, now,
                new RegisteredModelCreated(name, orEmpty(description), now)));
    }

    /** Keyed by the new name: see {@link RegisteredModelRenamed}. Nothing when the name stayed. */
    public Uni<Void> modelRenamed(SqlClient client, String oldName, String newName, long now) {
        if (oldName.equals(newName)) {
            return Uni.createFrom().voidItem();
        }
        return append(client, event(newName, RegisteredModelRenamed.TYPE, now,
                new RegisteredModelRenamed(oldName, newName, now)));
    }

    public Uni<Void> modelDeleted(SqlClient client, String name, long now) {
        return append(client, event(name, RegisteredModelDeleted.TYPE, now, new RegisteredModelDeleted(name, now)));
    }

    /** Nothing when the alias already pointed to the version. */
    public Uni<Void> aliasSet(SqlClient client, String name, String alias, int version, Integer previous) {
        if (previous != null && previous == version) {
            return Uni.createFrom().voidItem();
        }
        return append(client, event(name, RegisteredModelAliasSet.TYPE, System.currentTimeMillis(),
                new RegisteredModelAliasSet(name, alias, String.valueOf(version),
                        previous == null ? "" : String.valueOf(previous))));
    }

    /** Nothing when the model had no such alias. */
    public Uni<Void> aliasDeleted(SqlClient client, String name, String alias, Integer version) {
        if (version == null) {
            return Uni.createFrom().voidItem();
        }
        return append(client, event(name, RegisteredModelAliasDeleted.TYPE, System.currentTimeMillis(),
                new RegisteredModelAliasDeleted(name, alias, String.valueOf(version))));
    }

    public Uni<Void> versionCreated(SqlClient client, String name, int version, String source, String storageLocation,
                                    String runId, String modelId, long now) {
        return append(client, event(name, ModelVersionCreated.TYPE, now, new ModelVersionCreated(name,
                String.valueOf(version), source, storageLocation, orEmpty(runId), orEmpty(modelId), now)));
    }

    /**
     * The version's move, unless it stayed in its stage, then one move to Archived for each of {@code archived},
     * the other versions that were in the new stage.
     */
    public Uni<Void> stageTransitioned(SqlClient client, String name, int version, String oldStage, String newStage,
                                       List<Integer> archived, long now) {
        List<OutboxEvent> events = new ArrayList<>();
        if (!oldStage.equals(newStage)) {
            events.add(event(name, ModelVersionStageTransitioned.TYPE, now, new ModelVersionStageTransitioned(name,
                    String.valueOf(version), oldStage, newStage, now)));
        }
        archived.stream().sorted().forEach(other -> events.add(event(name, ModelVersionStageTransitioned.TYPE, now,
                new ModelVersionStageTransitioned(name, String.valueOf(other), newStage, "Archived", now))));
        return outbox.append(client, events);
    }

    /** @param aliases the aliases that pointed to the version and go with it */
    public Uni<Void> versionDeleted(SqlClient client, String name, int version, List<String> aliases, long now) {
        return append(client, event(name, ModelVersionDeleted.TYPE, now, new ModelVersionDeleted(name,
                String.valueOf(version), aliases.stream().sorted().toList(), now)));
    }

    private Uni<Void> append(SqlClient client, OutboxEvent event) {
        return outbox.append(client, List.of(event));
    }

    /** The registered model's name is the record key and the subject, whatever the event is about. */
    private OutboxEvent event(String name, String type, long time, Object data) {
        return outbox.event(Topics.REGISTRY_EVENTS, name, name, type, Instant.ofEpochMilli(time), data);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
