package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlflow.errors.Python;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** MLflow's input rules for keys, values and batch sizes (mlflow/utils/validation.py), with its messages. */
public final class TrackingRules {

    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_PARAM_VAL_LENGTH = 6000;
    public static final int MAX_TAG_VAL_LENGTH = 8000;
    public static final int MAX_ENTITY_KEY_LENGTH = 250;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
    public static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
    public static final int MAX_ARTIFACT_LOCATION_LENGTH = 2048;
    public static final int MAX_DATASET_NAME_SIZE = 500;
    public static final int MAX_DATASET_DIGEST_SIZE = 36;
    public static final int MAX_DATASET_SOURCE_SIZE = 65535;
    public static final int MAX_DATASET_SCHEMA_SIZE = 1048575;
    public static final int MAX_DATASET_PROFILE_SIZE = 16777215;
    public static final int MAX_INPUT_TAG_KEY_SIZE = 255;
    public static final int MAX_INPUT_TAG_VALUE_SIZE = 500;
    public static final int MAX_DATASETS_PER_BATCH = 1000;

    /** Stored in place of ±Infinity, as MLflow's SQL store does. */
    public static final double CLAMPED_INFINITY = Double.MAX_VALUE;

    private static final Pattern KEY_CHARACTERS = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern EXPERIMENT_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,63}$");
    private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-), "
            + "periods (.), spaces ( ), colon(:) and slashes (/).";

    private TrackingRules() {
    }

    public static void validateKey(String key, String path) {
        validateKey(key, path, path);
    }

    /** @param lengthName what MLflow calls the key when it is too long: "Param key", "Metric name", or the path */
    private static void validateKey(String key, String path, String lengthName) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.missing(path);
        }
        if (!KEY_CHARACTERS.matcher(key).matches()) {
            throw MlflowException.invalidValue(path, key, BAD_CHARACTERS);
        }
        String normalized = normpath(key);
        if (!normalized.equals(key) || normalized.equals(".") || normalized.startsWith("..") || normalized.startsWith("/")) {
            throw MlflowException.invalidValue(path, key, "Names may be treated as files in certain cases, and must "
                    + "not resolve to other names when treated as such. This name would resolve to '" + normalized + "'");
        }
        requireMaxLength(lengthName, key, MAX_ENTITY_KEY_LENGTH);
    }

    /**
     * Applies a rule to each item of a list that may be absent, naming each field as MLflow does
     * ({@code field[i].key}); the rule gets the prefix {@code field[i].}.
     */
    public static <T> List<T> validateEach(List<T> items, String field, BiFunction<T, String, T> rule) {
        if (items == null) {
            return List.of();
        }
        List<T> valid = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            valid.add(rule.apply(items.get(i), field + "[" + i + "]."));
        }
        return valid;
    }

    public static Metric validateMetric(Metric metric, String prefix) {
        validateKey(metric.key(), prefix + "key", "Metric name");
        if (metric.value() == null) {
            throw MlflowException.missing(prefix + "value");
        }
        if (metric.timestamp() == null) {
            throw MlflowException.missing(prefix + "timestamp");
        }
        if (metric.timestamp() < 0) {
            throw MlflowException.invalidValue(prefix + "timestamp", metric.timestamp(), "metric '" + metric.key()
                    + "' (value=" + metric.value() + "). Timestamp must be a nonnegative long (64-bit integer) ");
        }
        return new Metric(metric.key(), metric.value(), metric.timestamp(), metric.step() == null ? 0L : metric.step(),
                emptyToNull(metric.datasetName()), emptyToNull(metric.datasetDigest()), emptyToNull(metric.modelId()),
                null);
    }

    /** Validates the key and truncates an over-long value, as MLflow does by default. */
    public static Param validateParam(Param param, String prefix) {
        validateKey(param.key(), prefix + "key", "Param key");
        return new Param(param.key(), truncate(param.value(), MAX_PARAM_VAL_LENGTH));
    }

    public static RunTag validateTag(RunTag tag, String prefix) {
        validateKey(tag.key(), prefix + "key");
        return new RunTag(tag.key(), truncate(tag.value(), MAX_TAG_VAL_LENGTH));
    }

    public static ExperimentTag validateExperimentTag(ExperimentTag tag) {
        validateKey(tag.key(), "key");
        requireMaxLength("key", tag.key(), MAX_EXPERIMENT_TAG_KEY_LENGTH);
        String value = tag.value() == null ? "" : tag.value();
        requireMaxLength("value", value, MAX_EXPERIMENT_TAG_VAL_LENGTH);
        return new ExperimentTag(tag.key(), value);
    }

    public static void validateBatchLimits(int metrics, int params, int tags) {
        requireBatchLimit("metrics", MAX_METRICS_PER_BATCH, metrics);
        requireBatchLimit("params", MAX_PARAMS_TAGS_PER_BATCH, params);
        requireBatchLimit("tags", MAX_PARAMS_TAGS_PER_BATCH, tags);
        requireBatchLimit("metrics, params, and tags", MAX_ENTITIES_PER_BATCH, metrics + params + tags);
    }

    public static void requireUniqueParamKeys(List<Param> params) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (Param param : params) {
            if (!seen.add(param.key())) {
                duplicates.add(param.key());
            }
        }
        if (!duplicates.isEmpty()) {
            throw MlflowException.invalidParameter("Duplicate parameter keys have been submitted: "
                    + Python.repr(duplicates) + ". Please ensure the request contains only one param value per "
                    + "param key.");
        }
    }

    public static String validateExperimentName(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.missing(field);
        }
        requireMaxLength(field, name, MAX_EXPERIMENT_NAME_LENGTH);
        return name;
    }

    /** MLflow refuses locations that could smuggle fragments, params or relative paths into a URI. */
    public static void validateArtifactLocation(String location) {
        if (length(location) > MAX_ARTIFACT_LOCATION_LENGTH) {
            throw MlflowException.invalidParameter("Invalid artifact path length. The length of the artifact path "
                    + "cannot be greater than " + MAX_ARTIFACT_LOCATION_LENGTH + " characters.");
        }
        if (location.startsWith("runs:")) {
            throw MlflowException.invalidParameter(
                    "Artifact location cannot be a runs:/ URI. Given: '" + location + "'");
        }
        if (location.indexOf('#') >= 0 || location.indexOf(';') >= 0) {
            throw MlflowException.invalidParameter("'artifact_location' URL can't include fragments or params.");
        }
        int query = location.indexOf('?');
        String path = query < 0 ? location : location.substring(0, query);
        boolean relative = location.contains("%2e%2e") || location.contains("%2E%2E")
                || (query >= 0 && location.substring(query).contains(".."))
                || List.of(path.split("/")).contains("..");
        if (relative) {
            throw MlflowException.invalidParameter("'artifact_location' URL can't include relative paths.");
        }
    }

    /** Experiment ids look like MLflow's. */
    public static void validateExperimentId(String experimentId, String field) {
        if (experimentId == null || experimentId.isEmpty()) {
            throw MlflowException.missing(field);
        }
        if (!EXPERIMENT_ID.matcher(experimentId).matches()) {
            throw MlflowException.invalidParameter("Invalid experiment ID: '" + experimentId + "'");
        }
    }

    /**
     * The experiments a search covers. Ids of a valid shape that are not integers cannot name an experiment here;
     * they simply match nothing.
     */
    public static Long[] searchedExperiments(List<String> experimentIds) {
        if (experimentIds == null) {
            return new Long[0];
        }
        List<Long> ids = new ArrayList<>();
        for (String id : experimentIds) {
            validateExperimentId(id, "experiment_ids");
            try {
                ids.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                // matches nothing
            }
        }
        if (ids.size() > MaxResults.SEARCH_MAX) {
            throw MlflowException.invalidParameter("Too many experiment_ids: " + ids.size());
        }
        return ids.toArray(Long[]::new);
    }

    /** Experiment ids are integers here, so an id of a valid shape that is not one cannot exist. */
    public static long experimentNumber(String experimentId, String field) {
        validateExperimentId(experimentId, field);
        try {
            return Long.parseLong(experimentId);
        } catch (NumberFormatException e) {
            throw NotFound.experiment(experimentId);
        }
    }

    public static DatasetInput validateDatasetInput(DatasetInput input, String prefix) {
        return new DatasetInput(validateEach(input.tags(), prefix + "tags", TrackingRules::validateInputTag),
                validateDataset(input.dataset(), prefix));
    }

    public static Dataset validateDataset(Dataset dataset, String prefix) {
        if (dataset == null) {
            throw MlflowException.missing(prefix + "dataset");
        }
        requirePresent(prefix + "dataset.name", dataset.name());
        requirePresent(prefix + "dataset.digest", dataset.digest());
        requirePresent(prefix + "dataset.source_type", dataset.sourceType());
        requirePresent(prefix + "dataset.source", dataset.source());
        requireMaxLength("Dataset name", dataset.name(), MAX_DATASET_NAME_SIZE);
        requireMaxLength("Dataset digest", dataset.digest(), MAX_DATASET_DIGEST_SIZE);
        requireMaxLength("Dataset source", dataset.source(), MAX_DATASET_SOURCE_SIZE);
        requireMaxLength("Dataset schema", dataset.schema(), MAX_DATASET_SCHEMA_SIZE);
        requireMaxLength("Dataset profile", dataset.profile(), MAX_DATASET_PROFILE_SIZE);
        return dataset;
    }

    public static InputTag validateInputTag(InputTag tag, String prefix) {
        requirePresent(prefix + "key", tag.key());
        String value = tag.value() == null ? "" : tag.value();
        requireMaxLength("Input tag key", tag.key(), MAX_INPUT_TAG_KEY_SIZE);
        requireMaxLength("Input tag value", value, MAX_INPUT_TAG_VALUE_SIZE);
        return new InputTag(tag.key(), value);
    }

    /** What MLflow's SQL store stores for a metric value: NaN as 0 plus a flag, ±Infinity clamped. */
    public static double storedValue(double value) {
        if (Double.isNaN(value)) {
            return 0.0;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? CLAMPED_INFINITY : -CLAMPED_INFINITY;
        }
        return value;
    }

    /**
     * A length as MLflow's limits count it: Python's len, in characters. Java's String.length counts UTF-16 units,
     * two for a character outside the Basic Multilingual Plane (emoji, rarer CJK), and would halve such values.
     */
    public static int length(String value) {
        return value.codePointCount(0, value.length());
    }

    /** Python's posixpath.normpath, which MLflow uses to refuse keys that behave differently as file names. */
    static String normpath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        int initialSlashes = path.startsWith("/") ? 1 : 0;
        if (path.startsWith("//") && !path.startsWith("///")) {
            initialSlashes = 2;
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            boolean keep = !part.equals("..") || (initialSlashes == 0 && parts.isEmpty())
                    || (!parts.isEmpty() && parts.get(parts.size() - 1).equals(".."));
            if (keep) {
                parts.add(part);
            } else if (!parts.isEmpty()) {
                parts.remove(parts.size() - 1);
            }
        }
        String joined = "/".repeat(initialSlashes) + String.join("/", parts);
        return joined.isEmpty() ? "." : joined;
    }

    /** Protobuf cannot tell an empty string from an unset field; neither can MLflow's clients. */
    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String truncate(String value, int limit) {
        if (value == null) {
            return "";
        }
        return length(value) <= limit ? value : value.substring(0, value.offsetByCodePoints(0, limit));
    }

    private static void requirePresent(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw MlflowException.missing(field);
        }
    }

    private static void requireMaxLength(String field, String value, int limit) {
        if (value != null && length(value) > limit) {
            throw MlflowException.invalidParameter("'" + field + "' exceeds the maximum length of " + limit + " characters");
        }
    }

    private static void requireBatchLimit(String entity, int limit, int length) {
        if (length > limit) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most " + limit + " " + entity
                    + ". Got " + length + " " + entity + ". Please split up " + entity
                    + " across multiple requests and try again.");
        }
    }
}
