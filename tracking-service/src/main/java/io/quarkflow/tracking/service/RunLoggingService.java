package io.quarkflow.tracking.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlflow.errors.Python;
import io.quarkflow.tracking.domain.DatasetInput;
import io.quarkflow.tracking.domain.LoggedModelRules;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.ModelInput;
import io.quarkflow.tracking.domain.ModelOutput;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.quarkflow.tracking.store.LoggingRepository;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one write path for a run's data. log-metric, log-parameter and set-tag are batches of one, so limits,
 * validation and the all-or-nothing transaction are the same everywhere. A metric logged with a model_id is also
 * one of that logged model's metrics, written in the same transaction.
 */
@ApplicationScoped
public class RunLoggingService {

    public static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";

    private static final Set<String> MODEL_FIELDS = new TreeSet<>(List.of("artifact_path", "flavors", "run_id",
            "utc_time_created"));
    /** The same for the logged_model_metrics primary key. */
    private static final Comparator<Metric> MODEL_INDEX_ORDER = Comparator.comparing(Metric::modelId)
            .thenComparing(MetricRows.INDEX_ORDER);

    private final Pool pool;
    private final RunGuard guard;
    private final RunTagWriter tagWriter;
    private final RunRepository runs;
    private final LoggingRepository logging;
    private final ObjectMapper json;
    private final LoggedModelGuard modelGuard;
    private final LoggedModelRepository models;
    private final MetricWrites metricWrites;
    /** quarkflow_metric_points_written_total on /q/metrics. */
    private final Counter metricPoints;

    public RunLoggingService(Pool pool, RunGuard guard, RunTagWriter tagWriter, RunRepository runs,
                             LoggingRepository logging, ObjectMapper json, LoggedModelGuard modelGuard,
                             LoggedModelRepository models, MetricWrites metricWrites, MeterRegistry meters) {
        this.pool = pool;
        this.guard = guard;
        this.tagWriter = tagWriter;
        this.runs = runs;
        this.logging = logging;
        this.json = json;
        this.modelGuard = modelGuard;
        this.models = models;
        this.metricWrites = metricWrites;
        this.metricPoints = Counter.builder("quarkflow.metric.points.written")
                .description("Metric points written (log-metric, log-batch)")
                .register(meters);
    }

    public Uni<Void> logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        TrackingRules.validateBatchLimits(size(metrics), size(params), size(tags));
        List<Metric> validMetrics = TrackingRules.validateEach(metrics, "metrics", TrackingRules::validateMetric);
        List<Param> validParams = TrackingRules.validateEach(params, "params", TrackingRules::validateParam);
        TrackingRules.requireUniqueParamKeys(validParams);
        List<RunTag> validTags = TrackingRules.validateEach(tags, "tags", TrackingRules::validateTag);
        return write(runId, validMetrics, validParams, validTags, true);
    }

    public Uni<Void> logMetric(String runId, Metric metric) {
        return write(runId, List.of(TrackingRules.validateMetric(metric, "")), List.of(), List.of(), false);
    }

    public Uni<Void> logParam(String runId, Param param) {
        return write(runId, List.of(), List.of(TrackingRules.validateParam(param, "")), List.of(), false);
    }

    public Uni<Void> setTag(String runId, RunTag tag) {
        return write(runId, List.of(), List.of(), List.of(TrackingRules.validateTag(tag, "")), false);
    }

    public Uni<Void> deleteTag(String runId, String key) {
        if (key == null) {
            throw MlflowException.missing("key");
        }
        return pool.withTransaction(conn -> guard.active(conn, runId)
                .chain(() -> logging.deleteTag(conn, runId, key))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw MlflowException.notFound("No tag with name: " + key + " in run with id " + runId);
                    }
                })
                .replaceWithVoid());
    }

    /** Datasets and (MLflow 3) logged models the run used; as in MLflow, the models are not looked up. */
    public Uni<Void> logInputs(String runId, List<DatasetInput> inputs, List<ModelInput> modelInputs) {
        if (size(inputs) > TrackingRules.MAX_DATASETS_PER_BATCH) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most "
                    + TrackingRules.MAX_DATASETS_PER_BATCH + " datasets. Got " + size(inputs) + " datasets.");
        }
        List<DatasetInput> valid = TrackingRules.validateEach(inputs, "datasets", TrackingRules::validateDatasetInput);
        List<ModelInput> validModels = LoggedModelRules.inputs(modelInputs);
        return pool.withTransaction(conn -> guard.active(conn, runId)
                .chain(info -> Multi.createFrom().iterable(valid)
                        .onItem().transformToUniAndConcatenate(input ->
                                logging.upsertDataset(conn, Long.parseLong(info.experimentId()), input.dataset())
                                        .chain(datasetId -> logging.insertRunInput(conn, runId, datasetId, input.tags())))
                        .collect().last())
                .chain(() -> logging.insertModelInputs(conn, runId, validModels)));
    }

    /**
     * The logged models a run produced, at a step (runs/outputs). As in MLflow, the models are not looked up: the
     * client logs the output right after creating the model.
     */
    public Uni<Void> logOutputs(String runId, List<ModelOutput> outputs) {
        List<ModelOutput> valid = LoggedModelRules.outputs(outputs);
        return pool.withTransaction(conn -> guard.active(conn, runId)
                .chain(() -> logging.insertModelOutputs(conn, runId, valid)));
    }

    /** Appends the model's description to the run's mlflow.log-model.history tag (a JSON list). */
    public Uni<Void> logModel(String runId, String modelJson) {
        if (modelJson == null) {
            throw MlflowException.missing("model_json");
        }
        JsonNode model = parseModel(modelJson);
        return pool.withTransaction(conn -> guard.active(conn, runId)
                .chain(() -> runs.tags(conn, runId))
                .map(tags -> appendModel(tags, model))
                .chain(history -> tagWriter.write(conn, runId, List.of(new RunTag(LOGGED_MODELS_TAG, history)))));
    }

    /** @param batch log-batch, whose refusal of a changed param MLflow words differently from log-parameter's */
    private Uni<Void> write(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags, boolean batch) {
        return store(runId, metrics, params, tags, batch)
                .invoke(() -> metricPoints.increment(metrics.size()));
    }

    private Uni<Void> store(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags, boolean batch) {
        List<Param> sortedParams = params.stream().sorted(Comparator.comparing(Param::key)).toList();
        List<Metric> history = MetricRows.history(runId, metrics);
        List<Metric> latest = MetricRows.latestPerKey(history);
        List<Metric> modelMetrics = metrics.stream().filter(metric -> metric.modelId() != null)
                .sorted(MODEL_INDEX_ORDER).toList();
        if (sortedParams.isEmpty() && tags.isEmpty() && modelMetrics.isEmpty()) {
            if (history.isEmpty()) {
                return guard.active(pool, runId).replaceWithVoid();
            }
            return metricWrites.write(runId, history, latest)
                    .invoke(stage -> RunGuard.requireActive(runId, stage))
                    .replaceWithVoid();
        }
        String[] modelIds = modelMetrics.stream().map(Metric::modelId).distinct().toArray(String[]::new);
        return pool.withTransaction(conn -> guard.active(conn, runId)
                .chain(() -> modelIds.length == 0 ? Uni.createFrom().voidItem() : modelGuard.allExisting(conn, modelIds))
                .chain(() -> logging.insertParams(conn, runId, sortedParams))
                .chain(() -> logging.conflictingParams(conn, runId, sortedParams))
                .invoke(conflicts -> {
                    if (!conflicts.isEmpty()) {
                        throw paramChanged(runId, conflicts, batch);
                    }
                })
                .chain(() -> tagWriter.write(conn, runId, tags))
                .chain(() -> logging.logMetrics(conn, history, latest))
                .chain(() -> models.insertMetrics(conn, runId, modelMetrics)));
    }

    private static int size(List<?> items) {
        return items == null ? 0 : items.size();
    }

    private static MlflowException paramChanged(String runId, List<LoggingRepository.ParamConflict> conflicts,
                                                boolean batch) {
        if (batch) {
            String logged = conflicts.stream()
                    .map(conflict -> "{'key': " + Python.repr(conflict.key()) + ", 'old_value': "
                            + Python.repr(conflict.oldValue()) + ", 'new_value': " + Python.repr(conflict.newValue())
                            + "}")
                    .collect(Collectors.joining(", ", "[", "]"));
            return MlflowException.invalidParameter("Changing param values is not allowed. Params were already logged='"
                    + logged + "' for run ID='" + runId + "'.");
        }
        StringBuilder message = new StringBuilder("Changing param values is not allowed.");
        for (LoggingRepository.ParamConflict conflict : conflicts) {
            message.append(" Param with key='").append(conflict.key()).append("' was already logged with value='")
                    .append(conflict.oldValue()).append("' for run ID='").append(runId)
                    .append("'. Attempted logging new value '").append(conflict.newValue()).append("'.");
        }
        return MlflowException.invalidParameter(message.toString());
    }

    private JsonNode parseModel(String modelJson) {
        JsonNode model;
        try {
            model = json.readTree(modelJson);
        } catch (JsonProcessingException e) {
            model = null;
        }
        if (model == null || !model.isObject()) {
            throw MlflowException.invalidParameter("Malformed model info. \n " + modelJson + " \n is not a valid JSON.");
        }
        Set<String> missing = new TreeSet<>(MODEL_FIELDS);
        model.fieldNames().forEachRemaining(missing::remove);
        if (!missing.isEmpty()) {
            // MLflow prints a Python set, whose order is its hash's; ours is sorted.
            throw MlflowException.invalidParameter("Model json is missing mandatory fields: "
                    + missing.stream().map(Python::repr).collect(Collectors.joining(", ", "{", "}")));
        }
        return model;
    }

    private String appendModel(List<RunTag> tags, JsonNode model) {
        ArrayNode history = json.createArrayNode();
        tags.stream().filter(tag -> tag.key().equals(LOGGED_MODELS_TAG)).findFirst().ifPresent(tag -> {
            try {
                JsonNode previous = json.readTree(tag.value());
                if (previous.isArray()) {
                    history.addAll((ArrayNode) previous);
                }
            } catch (JsonProcessingException e) {
                // A hand-edited, unparsable history is replaced rather than making the run unloggable.
            }
        });
        history.add(model);
        String value = history.toString();
        if (TrackingRules.length(value) > TrackingRules.MAX_TAG_VAL_LENGTH) {
            throw MlflowException.invalidParameter("'" + LOGGED_MODELS_TAG + "' exceeds the maximum length of "
                    + TrackingRules.MAX_TAG_VAL_LENGTH + " characters");
        }
        return value;
    }
}
