package io.quarkflow.tracking.events;

import io.quarkflow.events.LoggedModelCreated;
import io.quarkflow.events.LoggedModelDeleted;
import io.quarkflow.events.LoggedModelFinalized;
import io.quarkflow.events.RunCreated;
import io.quarkflow.events.RunDeleted;
import io.quarkflow.events.RunRestored;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.events.RunTerminated;
import io.quarkflow.events.Topics;
import io.quarkflow.outbox.Outbox;
import io.quarkflow.outbox.OutboxEvent;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.LoggedModelInfo;
import io.quarkflow.tracking.domain.RunInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records run and logged-model lifecycle events in the outbox inside the caller's transaction, after the change to
 * the run's or model's row: an event exists only if its change commits, and that row's lock orders its events as
 * its changes. The outbox module's relay publishes them.
 */
@ApplicationScoped
public class RunEventOutbox {

    private final Outbox outbox;

    public RunEventOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> created(SqlClient client, RunInfo run) {
        return outbox.append(client, List.of(event(run.runId(), RunCreated.TYPE, Instant.now(),
                new RunCreated(run.runId(), run.experimentId(), run.runName(), run.userId(), run.status().name(),
                        run.startTime(), run.artifactUri()))));
    }

    /** A status change, then a termination if the new status is terminal; nothing when the status stayed. */
    public Uni<Void> updated(SqlClient client, RunInfo before, RunInfo after) {
        if (before.status() == after.status()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        List<OutboxEvent> events = new ArrayList<>();
        events.add(event(after.runId(), RunStatusChanged.TYPE, now, new RunStatusChanged(after.runId(),
                after.experimentId(), before.status().name(), after.status().name())));
        if (after.status().isTerminal()) {
            events.add(event(after.runId(), RunTerminated.TYPE, now, new RunTerminated(after.runId(),
                    after.experimentId(), after.status().name(), after.endTime())));
        }
        return outbox.append(client, events);
    }

    /** A run deleted or restored on its own; nothing when it already was in that stage. */
    public Uni<Void> lifecycleChanged(SqlClient client, RunInfo before, LifecycleStage stage, long now) {
        if (before.lifecycleStage() == stage) {
            return Uni.createFrom().voidItem();
        }
        return outbox.append(client, List.of(lifecycleEvent(before.runId(), before.experimentId(), stage, now)));
    }

    /** The runs that an experiment's delete or restore moved with it. */
    public Uni<Void> movedWithExperiment(SqlClient client, String experimentId, List<String> runIds,
                                         LifecycleStage stage, long now) {
        return outbox.append(client, runIds.stream().map(runId -> lifecycleEvent(runId, experimentId, stage, now)).toList());
    }

    public Uni<Void> modelCreated(SqlClient client, LoggedModelInfo model) {
        return outbox.append(client, List.of(modelEvent(model, LoggedModelCreated.TYPE, Instant.ofEpochMilli(
                model.creationTimestampMs()), new LoggedModelCreated(model.modelId(), model.experimentId(), model.name(),
                model.modelType(), model.sourceRunId(), model.status().name(), model.artifactUri(),
                model.creationTimestampMs()))));
    }

    /** The end of an upload: a change to READY or UPLOAD_FAILED; nothing for any other finalize. */
    public Uni<Void> modelFinalized(SqlClient client, LoggedModelInfo before, LoggedModelInfo after) {
        if (before.status() == after.status() || !after.status().isFinal()) {
            return Uni.createFrom().voidItem();
        }
        return outbox.append(client, List.of(modelEvent(after, LoggedModelFinalized.TYPE,
                Instant.ofEpochMilli(after.lastUpdatedTimestampMs()), new LoggedModelFinalized(after.modelId(),
                        after.experimentId(), after.sourceRunId(), before.status().name(), after.status().name(),
                        after.lastUpdatedTimestampMs()))));
    }

    public Uni<Void> modelDeleted(SqlClient client, LoggedModelInfo model, long now) {
        return outbox.append(client, List.of(modelEvent(model, LoggedModelDeleted.TYPE, Instant.ofEpochMilli(now),
                new LoggedModelDeleted(model.modelId(), model.experimentId(), model.sourceRunId(), now))));
    }

    /** Keyed by the source run, so a model's events keep their order relative to the run's (see Topics). */
    private OutboxEvent modelEvent(LoggedModelInfo model, String type, Instant time, Object data) {
        String key = model.sourceRunId().isEmpty() ? model.modelId() : model.sourceRunId();
        return event(key, model.modelId(), type, time, data);
    }

    private OutboxEvent lifecycleEvent(String runId, String experimentId, LifecycleStage stage, long now) {
        return stage == LifecycleStage.deleted
                ? event(runId, RunDeleted.TYPE, Instant.ofEpochMilli(now), new RunDeleted(runId, experimentId, now))
                : event(runId, RunRestored.TYPE, Instant.ofEpochMilli(now), new RunRestored(runId, experimentId));
    }

    private OutboxEvent event(String runId, String type, Instant time, Object data) {
        return event(runId, runId, type, time, data);
    }

    private OutboxEvent event(String key, String subject, String type, Instant time, Object data) {
        return outbox.event(Topics.RUN_EVENTS, key, subject, type, time, data);
    }
}
