package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * MLflow 3's rules for logged models (mlflow/store/tracking/sqlalchemy_store.py, mlflow/utils/validation.py): ids,
 * names, and what a model's params and tags must carry. MLflow checks neither the keys' characters nor their
 * lengths for models, so neither does this; a key must only be present.
 */
public final class LoggedModelRules {

    private static final String BAD_NAME_CHARACTERS = "/:.%\"'";

    private LoggedModelRules() {
    }

    /** MLflow's shape: {@code m-} and a random UUID's 32 lowercase hex digits. */
    public static String newModelId() {
        return "m-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The given name, or a generated one when it is absent or empty (MLflow's handler treats "" as absent). */
    public static String name(String given) {
        if (given == null || given.isEmpty()) {
            return RunNames.generate();
        }
        if (given.chars().anyMatch(c -> BAD_NAME_CHARACTERS.indexOf(c) >= 0)) {
            throw MlflowException.invalidParameter("Invalid model name ('" + given + "') provided. Model name must be "
                    + "a non-empty string and cannot contain the following characters: "
                    + "('/', ':', '.', '%', '\"', \"'\")");
        }
        return given;
    }

    /** Params with their keys; a missing value is protobuf's default, the empty string. Keys must be unique. */
    public static List<LoggedModelParameter> params(List<LoggedModelParameter> params) {
        List<LoggedModelParameter> valid = TrackingRules.validateEach(params, "params", (param, prefix) ->
                new LoggedModelParameter(required(param.key(), prefix + "key"), orEmpty(param.value())));
        TrackingRules.requireUniqueParamKeys(valid.stream().map(param -> new Param(param.key(), param.value())).toList());
        return valid.stream().sorted(Comparator.comparing(LoggedModelParameter::key)).toList();
    }

    /** Tags sorted by key, the last value given for a key winning, as MLflow's merge does. */
    public static List<LoggedModelTag> tags(List<LoggedModelTag> tags) {
        Map<String, LoggedModelTag> byKey = new TreeMap<>();
        TrackingRules.validateEach(tags, "tags", (tag, prefix) -> new LoggedModelTag(required(tag.key(), prefix + "key"),
                orEmpty(tag.value()))).forEach(tag -> byKey.put(tag.key(), tag));
        return List.copyOf(byKey.values());
    }

    /** The outputs of runs/outputs: a model id each; a missing step is protobuf's default, 0. */
    public static List<ModelOutput> outputs(List<ModelOutput> outputs) {
        if (outputs == null) {
            throw MlflowException.missing("models");
        }
        return TrackingRules.validateEach(outputs, "models", (output, prefix) ->
                new ModelOutput(required(output.modelId(), prefix + "model_id"), output.step() == null ? 0L : output.step()));
    }

    /** The models of runs/log-inputs: a model id each. */
    public static List<ModelInput> inputs(List<ModelInput> inputs) {
        return TrackingRules.validateEach(inputs, "models", (input, prefix) ->
                new ModelInput(required(input.modelId(), prefix + "model_id")));
    }

    private static String required(String value, String path) {
        if (value == null || value.isEmpty()) {
            throw MlflowException.missing(path);
        }
        return value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
