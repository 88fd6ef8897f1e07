package io.quarkflow.tracking.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkflow.tracking.domain.DatasetInput;
import io.quarkflow.tracking.domain.InputTag;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.store.LoggingRepository;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one write path for a run's data. log-metric, log-parameter and set-tag are batches of one, so limits,
 * validation and the all-or-nothing transaction are the same everywhere.
 */
@ApplicationScoped
public class RunLoggingService {

    public static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";

    private static final Set<String> MODEL_FIELDS = new TreeSet<>(List.of("artifact_path", "flavors", "run_id",
            "utc_time_created"));
    private static final Comparator<Metric> LATEST = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestamp)
            .thenComparingDouble(metric -> TrackingRules.storedValue(metric.value()));
    /** The metrics primary key order, is_nan included, so concurrent batches lock their rows in the same order. */
    private static final Comparator<Metric> INDEX_ORDER = Comparator.comparing(Metric::key)
            .thenComparing(LATEST)
            .thenComparing(metric -> Double.isNaN(metric.value()));

    private final Pool pool;
    private final RunService runs;
    private final RunRepository runRows;
    private final LoggingRepository logging;
    private final ObjectMapper json;

    public RunLoggingService(Pool pool, RunService runs, RunRepository runRows, LoggingRepository logging,
                             ObjectMapper json) {
        this.pool = pool;
        this.runs = runs;
        this.runRows = runRows;
        this.logging = logging;
        this.json = json;
    }

    public Uni<Void> logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        List<Metric> givenMetrics = metrics == null ? List.of() : metrics;
        List<Param> givenParams = params == null ? List.of() : params;
        List<RunTag> givenTags = tags == null ? List.of() : tags;
        TrackingRules.validateBatchLimits(givenMetrics.size(), givenParams.size(), givenTags.size());
        List<Metric> validMetrics = new ArrayList<>();
        for (int i = 0; i < givenMetrics.size(); i++) {
            validMetrics.add(TrackingRules.validateMetric(givenMetrics.get(i), "metrics[" + i + "]."));
        }
        List<Param> validParams = new ArrayList<>();
        for (int i = 0; i < givenParams.size(); i++) {
            validParams.add(TrackingRules.validateParam(givenParams.get(i), "params[" + i + "]."));
        }
        TrackingRules.requireUniqueParamKeys(validParams);
        List<RunTag> validTags = new ArrayList<>();
        for (int i = 0; i < givenTags.size(); i++) {
            validTags.add(TrackingRules.validateTag(givenTags.get(i), "tags[" + i + "]."));
        }
        return write(runId, validMetrics, validParams, validTags);
    }

    public Uni<Void> logMetric(String runId, Metric metric) {
        return write(runId, List.of(TrackingRules.validateMetric(metric, "")), List.of(), List.of());
    }

    public Uni<Void> logParam(String runId, Param param) {
        return write(runId, List.of(), List.of(TrackingRules.validateParam(param, "")), List.of());
    }

    public Uni<Void> setTag(String runId, RunTag tag) {
        return write(runId, List.of(), List.of(), List.of(TrackingRules.validateTag(tag, "")));
    }

    public Uni<Void> deleteTag(String runId, String key) {
        if (key == null) {
            throw MlflowException.missing("key");
        }
        return pool.withTransaction(conn -> runs.active(conn, runId)
                .chain(() -> logging.deleteTag(conn, runId, key))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw MlflowException.notFound("No tag with name: " + key + " in run with id " + runId);
                    }
                })
                .replaceWithVoid());
    }

    public Uni<Void> logInputs(String runId, List<DatasetInput> inputs) {
        List<DatasetInput> given = inputs == null ? List.of() : inputs;
        if (given.size() > TrackingRules.MAX_DATASETS_PER_BATCH) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most "
                    + TrackingRules.MAX_DATASETS_PER_BATCH + " datasets. Got " + given.size() + " datasets.");
        }
        List<DatasetInput> valid = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String prefix = "datasets[" + i + "].";
            DatasetInput input = given.get(i);
            List<InputTag> tags = new ArrayList<>();
            List<InputTag> givenTags = input.tags() == null ? List.of() : input.tags();
            for (int t = 0; t < givenTags.size(); t++) {
                tags.add(TrackingRules.validateInputTag(givenTags.get(t), prefix + "tags[" + t + "]."));
            }
            valid.add(new DatasetInput(tags, TrackingRules.validateDataset(input.dataset(), prefix)));
        }
        return pool.withTransaction(conn -> runs.active(conn, runId)
                .chain(info -> Multi.createFrom().iterable(valid)
                        .onItem().transformToUniAndConcatenate(input ->
                                logging.upsertDataset(conn, Long.parseLong(info.experimentId()), input.dataset())
                                        .chain(datasetId -> logging.insertRunInput(conn, runId, datasetId, input.tags())))
                        .collect().last()
                        .replaceWithVoid()));
    }

    /** Appends the model's description to the run's mlflow.log-model.history tag (a JSON list). */
    public Uni<Void> logModel(String runId, String modelJson) {
        if (modelJson == null) {
            throw MlflowException.missing("model_json");
        }
        JsonNode model = parseModel(modelJson);
        return pool.withTransaction(conn -> runs.active(conn, runId)
                .chain(() -> runRows.tags(conn, runId))
                .map(tags -> appendModel(tags, model))
                .chain(history -> logging.upsertTags(conn, runId, List.of(new RunTag(LOGGED_MODELS_TAG, history)))));
    }

    private Uni<Void> write(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        List<Param> sortedParams = params.stream().sorted(Comparator.comparing(Param::key)).toList();
        List<RunTag> sortedTags = lastPerKey(tags);
        List<Metric> sortedMetrics = metrics.stream().sorted(INDEX_ORDER).toList();
        List<Metric> latest = latestPerKey(sortedMetrics);
        String runName = sortedTags.stream().filter(tag -> tag.key().equals(RunService.RUN_NAME_TAG))
                .map(RunTag::value).findFirst().orElse(null);
        if (sortedParams.isEmpty() && sortedTags.isEmpty()) {
            return logMetricsOnly(runId, sortedMetrics, latest);
        }
        return pool.withTransaction(conn -> runs.active(conn, runId)
                .chain(() -> logging.insertParams(conn, runId, sortedParams))
                .chain(() -> logging.conflictingParams(conn, runId, sortedParams))
                .invoke(conflicts -> {
                    if (!conflicts.isEmpty()) {
                        throw paramChanged(runId, conflicts);
                    }
                })
                .chain(() -> logging.upsertTags(conn, runId, sortedTags))
                .chain(() -> renameRun(conn, runId, runName))
                .chain(() -> logging.insertMetrics(conn, runId, sortedMetrics))
                .chain(() -> logging.upsertLatestMetrics(conn, runId, latest)));
    }

    private Uni<Void> logMetricsOnly(String runId, List<Metric> metrics, List<Metric> latest) {
        if (metrics.isEmpty()) {
            return runs.active(pool, runId).replaceWithVoid();
        }
        return logging.logMetricsOnly(pool, runId, metrics, latest)
                .invoke(stage -> {
                    if (stage == null) {
                        throw Ids.runNotFound(runId);
                    }
                    if (!stage.equals(LifecycleStage.active.name())) {
                        throw RunService.notActive(runId, stage);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> renameRun(SqlClient conn, String runId, String runName) {
        return runName == null ? Uni.createFrom().voidItem() : runRows.update(conn, runId, null, null, runName);
    }

    /** Tags sorted by key, the last value given for a key winning, as in MLflow. */
    static List<RunTag> lastPerKey(List<RunTag> tags) {
        Map<String, RunTag> byKey = new TreeMap<>();
        tags.forEach(tag -> byKey.put(tag.key(), tag));
        return List.copyOf(byKey.values());
    }

    private static List<Metric> latestPerKey(List<Metric> sortedByKeyThenLatest) {
        Map<String, Metric> latest = new LinkedHashMap<>();
        sortedByKeyThenLatest.forEach(metric -> latest.put(metric.key(), metric));
        return List.copyOf(latest.values());
    }

    private static MlflowException paramChanged(String runId, List<LoggingRepository.ParamConflict> conflicts) {
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
            throw MlflowException.invalidParameter("Model json is missing mandatory fields: " + missing);
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
        if (value.length() > TrackingRules.MAX_TAG_VAL_LENGTH) {
            throw MlflowException.invalidParameter("'" + LOGGED_MODELS_TAG + "' exceeds the maximum length of "
                    + TrackingRules.MAX_TAG_VAL_LENGTH + " characters");
        }
        return value;
    }
}
