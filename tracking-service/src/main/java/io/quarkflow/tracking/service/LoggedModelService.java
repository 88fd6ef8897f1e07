package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.ArtifactUris;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.LoggedModel;
import io.quarkflow.tracking.domain.LoggedModelInfo;
import io.quarkflow.tracking.domain.LoggedModelParameter;
import io.quarkflow.tracking.domain.LoggedModelRules;
import io.quarkflow.tracking.domain.LoggedModelStatus;
import io.quarkflow.tracking.domain.LoggedModelTag;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.events.RunEventOutbox;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.quarkflow.tracking.store.LoggingRepository.ParamConflict;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * MLflow 3 logged models: create, read, finalize, delete, and their params and tags. A model's metrics are written
 * by {@link RunLoggingService}, with the run's. Created, finalized and deleted models publish events.
 */
@ApplicationScoped
public class LoggedModelService {

    private final Pool pool;
    private final LoggedModelRepository models;
    private final LoggedModelGuard guard;
    private final LoggedModelReader reader;
    private final ExperimentService experiments;
    private final RunEventOutbox events;

    public LoggedModelService(Pool pool, LoggedModelRepository models, LoggedModelGuard guard, LoggedModelReader reader,
                              ExperimentService experiments, RunEventOutbox events) {
        this.pool = pool;
        this.models = models;
        this.guard = guard;
        this.reader = reader;
        this.experiments = experiments;
        this.events = events;
    }

    /**
     * A PENDING model under {@code <experiment location>/models/<model_id>/artifacts}. As in MLflow, the experiment
     * must be active, names need not be unique, and the source run is stored as given, unchecked.
     */
    public Uni<LoggedModel> create(String experimentId, String name, String modelType, String sourceRunId,
                                   List<LoggedModelParameter> params, List<LoggedModelTag> tags) {
        long experiment = TrackingRules.experimentNumber(experimentId, "experiment_id");
        String modelName = LoggedModelRules.name(name);
        List<LoggedModelParameter> validParams = LoggedModelRules.params(params);
        List<LoggedModelTag> validTags = LoggedModelRules.tags(tags);
        String modelId = LoggedModelRules.newModelId();
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> experiments.active(conn, experimentId, experiment)
                .map(row -> new LoggedModelInfo(modelId, String.valueOf(row.id()), modelName, now, now,
                        ArtifactUris.modelArtifacts(row.artifactLocation(), modelId), LoggedModelStatus.LOGGED_MODEL_PENDING,
                        orEmpty(modelType), orEmpty(sourceRunId), validTags))
                .call(info -> models.insert(conn, info))
                .call(() -> models.insertParams(conn, modelId, validParams))
                .call(() -> models.upsertTags(conn, modelId, validTags))
                .call(info -> events.modelCreated(conn, info))
                .map(info -> new LoggedModel(info, new LoggedModel.Data(validParams, List.of()))));
    }

    public Uni<LoggedModel> get(String modelId) {
        return guard.visible(pool, modelId).chain(row -> reader.withData(pool, row.info()));
    }

    /**
     * Sets the status, any of MLflow's (MLflow checks no transitions), and publishes the end of an upload.
     *
     * @param bodyModelId the model_id of the request body, which MLflow requires; it must name the path's model
     */
    public Uni<LoggedModel> finalizeModel(String modelId, String bodyModelId, String status) {
        requireBodyModelId(modelId, bodyModelId);
        if (status == null || status.isEmpty()) {
            throw MlflowException.missing("status");
        }
        LoggedModelStatus newStatus = LoggedModelStatus.parse(status);
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.locked(conn, modelId)
                .call(() -> models.setStatus(conn, modelId, newStatus, now))
                .chain(before -> {
                    LoggedModelInfo after = withStatus(before.info(), newStatus, now);
                    return events.modelFinalized(conn, before.info(), after)
                            .chain(() -> reader.withData(conn, after));
                }));
    }

    /** A soft delete, as in MLflow: get and search stop seeing the model; deleting it again changes nothing. */
    public Uni<Void> delete(String modelId) {
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.locked(conn, modelId)
                .chain(row -> row.lifecycleStage() == LifecycleStage.deleted ? Uni.createFrom().voidItem()
                        : models.delete(conn, modelId, now).chain(() -> events.modelDeleted(conn, row.info(), now))));
    }

    /**
     * Adds params. A key logged again with the same value changes nothing; with another value it is refused, as
     * for runs (MLflow's server fails on any repeated key with a database error).
     */
    public Uni<Void> logParams(String modelId, String bodyModelId, List<LoggedModelParameter> params) {
        requireBodyModelId(modelId, bodyModelId);
        List<LoggedModelParameter> valid = LoggedModelRules.params(params);
        return pool.withTransaction(conn -> guard.existing(conn, modelId)
                .chain(() -> models.insertParams(conn, modelId, valid))
                .chain(() -> models.conflictingParams(conn, modelId, valid))
                .invoke(conflicts -> {
                    if (!conflicts.isEmpty()) {
                        throw paramChanged(modelId, conflicts);
                    }
                })
                .replaceWithVoid());
    }

    /** Sets tags, replacing the values of keys the model has already. */
    public Uni<Void> setTags(String modelId, List<LoggedModelTag> tags) {
        List<LoggedModelTag> valid = LoggedModelRules.tags(tags);
        return pool.withTransaction(conn -> guard.existing(conn, modelId)
                .chain(() -> models.upsertTags(conn, modelId, valid)));
    }

    public Uni<Void> deleteTag(String modelId, String key) {
        return pool.withTransaction(conn -> guard.existing(conn, modelId)
                .chain(() -> models.deleteTag(conn, modelId, key))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw MlflowException.notFound("No tag with key '" + key + "' found for model with ID '"
                                + modelId + "'.");
                    }
                })
                .replaceWithVoid());
    }

    private static void requireBodyModelId(String modelId, String bodyModelId) {
        if (bodyModelId == null || bodyModelId.isEmpty()) {
            throw MlflowException.missing("model_id");
        }
        // MLflow's server acts on the body's id and ignores the path's; one request naming two models is refused.
        if (!bodyModelId.equals(modelId)) {
            throw MlflowException.invalidParameter("The model_id in the request body ('" + bodyModelId
                    + "') does not match the one in the path ('" + modelId + "').");
        }
    }

    private static LoggedModelInfo withStatus(LoggedModelInfo info, LoggedModelStatus status, long now) {
        return new LoggedModelInfo(info.modelId(), info.experimentId(), info.name(), info.creationTimestampMs(), now,
                info.artifactUri(), status, info.modelType(), info.sourceRunId(), info.tags());
    }

    private static MlflowException paramChanged(String modelId, List<ParamConflict> conflicts) {
        StringBuilder message = new StringBuilder("Changing param values is not allowed.");
        for (ParamConflict conflict : conflicts) {
            message.append(" Param with key='").append(conflict.key()).append("' was already logged with value='")
                    .append(conflict.oldValue()).append("' for model ID='").append(modelId)
                    .append("'. Attempted logging new value '").append(conflict.newValue()).append("'.");
        }
        return MlflowException.invalidParameter(message.toString());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
