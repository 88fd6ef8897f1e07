package io.quarkflow.tracking.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkflow.tracking.domain.ArtifactUris;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunNames;
import io.quarkflow.tracking.domain.RunStatus;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.events.RunEventOutbox;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Run lifecycle: create, read, update, delete and restore. Logging data lives in {@link RunLoggingService}. */
@ApplicationScoped
public class RunService {

    private final Pool pool;
    private final RunRepository runs;
    private final RunGuard guard;
    private final RunTagWriter tags;
    private final ExperimentService experiments;
    private final RunEventOutbox events;
    private final RunReader reader;
    /** quarkflow_runs_created_total on /q/metrics. */
    private final Counter created;

    public RunService(Pool pool, RunRepository runs, RunGuard guard, RunTagWriter tags, ExperimentService experiments,
                      RunEventOutbox events, RunReader reader, MeterRegistry meters) {
        this.pool = pool;
        this.reader = reader;
        this.runs = runs;
        this.guard = guard;
        this.tags = tags;
        this.experiments = experiments;
        this.events = events;
        this.created = Counter.builder("quarkflow.runs.created").description("Runs created").register(meters);
    }

    public Uni<Run> create(String experimentId, String userId, Long startTime, String runName, List<RunTag> tags) {
        String experiment = experimentId == null || experimentId.isEmpty() ? "0" : experimentId;
        long id = TrackingRules.experimentNumber(experiment, "experiment_id");
        List<RunTag> validTags = new ArrayList<>(TrackingRules.validateEach(tags, "tags", TrackingRules::validateTag));
        String name = RunNames.resolve(runName, validTags);
        validTags.add(new RunTag(RunTag.RUN_NAME, name));
        List<RunTag> storedTags = RunTag.lastPerKey(validTags);
        String runId = UUID.randomUUID().toString().replace("-", "");
        long start = startTime == null ? System.currentTimeMillis() : startTime;
        return pool.withTransaction(conn -> experiments.active(conn, experiment, id)
                .map(row -> new RunInfo(runId, runId, name, experiment, userId, RunStatus.RUNNING, start, null,
                        ArtifactUris.runArtifacts(row.artifactLocation(), runId), LifecycleStage.active))
                .call(info -> this.tags.insertRun(conn, info, storedTags))
                .call(info -> events.created(conn, info))
                .map(info -> new Run(info, new Run.Data(List.of(), List.of(), storedTags),
                        new Run.Inputs(List.of(), List.of()), new Run.Outputs(List.of()))))
                .invoke(() -> created.increment());
    }

    public Uni<Run> get(String runId) {
        return guard.existing(pool, runId)
                .chain(info -> reader.withData(pool, List.of(info)))
                .map(found -> found.get(0));
    }

    public Uni<RunInfo> update(String runId, String status, Long endTime, String runName) {
        RunStatus newStatus = status == null || status.isEmpty() ? null : RunStatus.parse(status);
        List<RunTag> rename = runName == null || runName.isEmpty() ? List.of()
                : List.of(TrackingRules.validateTag(new RunTag(RunTag.RUN_NAME, runName), ""));
        return pool.withTransaction(conn -> guard.active(conn, runId)
                .call(() -> tags.write(conn, runId, rename))
                .call(() -> runs.update(conn, runId, newStatus, endTime, null))
                .chain(before -> guard.existing(conn, runId)
                        .call(after -> events.updated(conn, before, after))));
    }

    public Uni<Void> setLifecycleStage(String runId, LifecycleStage stage) {
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.existing(conn, runId)
                .call(() -> runs.setLifecycleStage(conn, runId, stage, now))
                .chain(before -> events.lifecycleChanged(conn, before, stage, now)));
    }
}
