package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.ArtifactUris;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunNames;
import io.quarkflow.tracking.domain.RunStatus;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.events.RunEventOutbox;
import io.quarkflow.tracking.store.LoggingRepository;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Run lifecycle: create, read, update, delete and restore. Logging data lives in {@link RunLoggingService}. */
@ApplicationScoped
public class RunService {

    public static final String RUN_NAME_TAG = "mlflow.runName";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final RunRepository runs;
    private final LoggingRepository logging;
    private final ExperimentService experiments;
    private final RunEventOutbox events;

    public RunService(Pool pool, RunRepository runs, LoggingRepository logging, ExperimentService experiments,
                      RunEventOutbox events) {
        this.pool = pool;
        this.runs = runs;
        this.logging = logging;
        this.experiments = experiments;
        this.events = events;
    }

    public Uni<Run> create(String experimentId, String userId, Long startTime, String runName, List<RunTag> tags) {
        String experiment = experimentId == null || experimentId.isEmpty() ? "0" : experimentId;
        long id = Ids.experimentId(experiment, "experiment_id");
        List<RunTag> validTags = new ArrayList<>();
        List<RunTag> given = tags == null ? List.of() : tags;
        for (int i = 0; i < given.size(); i++) {
            validTags.add(TrackingRules.validateTag(given.get(i), "tags[" + i + "]."));
        }
        String name = runName(runName, validTags);
        if (validTags.stream().noneMatch(tag -> tag.key().equals(RUN_NAME_TAG))) {
            validTags.add(new RunTag(RUN_NAME_TAG, name));
        }
        List<RunTag> tagsToStore = RunLoggingService.lastPerKey(validTags);
        String runId = UUID.randomUUID().toString().replace("-", "");
        long start = startTime == null ? System.currentTimeMillis() : startTime;
        return pool.withTransaction(conn -> experiments.active(conn, experiment, id)
                .map(row -> new RunInfo(runId, runId, name, experiment, userId, RunStatus.RUNNING, start, null,
                        ArtifactUris.runArtifacts(row.artifactLocation(), runId), LifecycleStage.active))
                .call(info -> runs.insert(conn, info))
                .call(() -> logging.upsertTags(conn, runId, tagsToStore))
                .call(info -> events.created(conn, info))
                .map(info -> new Run(info, new Run.Data(List.of(), List.of(), tagsToStore), new Run.Inputs(List.of()))));
    }

    public Uni<Run> get(String runId) {
        return info(pool, runId).chain(info -> Uni.combine().all()
                .unis(runs.latestMetrics(pool, runId), runs.params(pool, runId), runs.tags(pool, runId),
                        runs.inputs(pool, runId))
                .with((metrics, params, tags, inputs) ->
                        new Run(info, new Run.Data(metrics, params, tags), new Run.Inputs(inputs))));
    }

    public Uni<RunInfo> update(String runId, String status, Long endTime, String runName) {
        RunStatus newStatus = status == null || status.isEmpty() ? null : RunStatus.parse(status);
        String name = runName == null || runName.isEmpty() ? null : runName;
        // The tag before the run row: the order log-batch takes these locks in, so a concurrent rename cannot deadlock.
        return pool.withTransaction(conn -> active(conn, runId)
                .call(() -> name == null ? Uni.createFrom().voidItem()
                        : logging.upsertTags(conn, runId, List.of(TrackingRules.validateTag(new RunTag(RUN_NAME_TAG, name), ""))))
                .call(() -> runs.update(conn, runId, newStatus, endTime, name))
                .chain(before -> info(conn, runId)
                        .call(after -> events.updated(conn, before, after))));
    }

    public Uni<Void> setLifecycleStage(String runId, LifecycleStage stage) {
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> info(conn, runId)
                .call(() -> runs.setLifecycleStage(conn, runId, stage, now))
                .chain(before -> events.lifecycleChanged(conn, before, stage, now)));
    }

    Uni<RunInfo> info(SqlClient client, String runId) {
        return runs.findInfo(client, runId).onItem().ifNull().failWith(() -> Ids.runNotFound(runId));
    }

    /** Fails with MLflow's "not found" for the first id that names no run. */
    Uni<Void> requireExisting(SqlClient client, String[] runIds) {
        return runs.existing(client, runIds)
                .invoke(found -> {
                    for (String runId : runIds) {
                        if (!found.contains(runId)) {
                            throw Ids.runNotFound(runId);
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** Fails unless the run exists and is active: MLflow refuses writes to deleted runs. */
    Uni<RunInfo> active(SqlClient client, String runId) {
        return info(client, runId).invoke(info -> {
            if (info.lifecycleStage() != LifecycleStage.active) {
                throw notActive(runId, info.lifecycleStage().name());
            }
        });
    }

    static MlflowException notActive(String runId, String stage) {
        return MlflowException.invalidParameter("The run " + runId + " must be in the 'active' state. "
                + "Current state is " + stage + ".");
    }

    /** MLflow's rule: run_name and the mlflow.runName tag must agree; either names the run, else one is generated. */
    private static String runName(String runName, List<RunTag> tags) {
        Optional<String> tagged = tags.stream().filter(tag -> tag.key().equals(RUN_NAME_TAG)).map(RunTag::value)
                .reduce((first, second) -> second);
        boolean named = runName != null && !runName.isEmpty();
        if (named && tagged.isPresent() && !tagged.get().equals(runName)) {
            throw MlflowException.invalidParameter("Both 'run_name' argument and 'mlflow.runName' tag are specified, "
                    + "but with different values (run_name='" + runName + "', mlflow.runName='" + tagged.get() + "').");
        }
        if (named) {
            return runName;
        }
        return tagged.filter(value -> !value.isEmpty()).orElseGet(() -> RunNames.generate(RANDOM));
    }
}
