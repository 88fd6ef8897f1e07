package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlflow.errors.Python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * MLflow's checks on model registry requests (mlflow/utils/validation.py, model_version_stages.py), worded as its
 * server words them.
 */
public final class RegistryRules {

    public static final int MAX_TAG_VALUE_LENGTH = 100_000;
    public static final int MAX_ALIAS_LENGTH = 255;
    /** MLflow's stages, in the order its messages list them. */
    public static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
    /** The stages archive_existing_versions may move versions out of. */
    public static final List<String> ACTIVE_STAGES = List.of("Staging", "Production");
    /** The tag that makes a registered model a prompt, which searches leave out unless asked for. */
    public static final String PROMPT_TAG = "mlflow.prompt.is_prompt";

    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("^[vV]\\d+$");

    private RegistryRules() {
    }

    /** A registered model's name: any non-empty text (MLflow limits neither its length nor its characters). */
    public static String name(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.missing(field);
        }
        return name;
    }

    /**
     * A version number as a request gives it (text). Python's int() decides: a number too large for a version is
     * valid and names no version.
     *
     * @return the number, or -1 for one no version can have
     */
    public static long version(String version) {
        if (version == null || version.isEmpty()) {
            throw MlflowException.missing("version");
        }
        try {
            long number = Long.parseLong(version.strip());
            return number < 1 || number > Integer.MAX_VALUE ? -1 : number;
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("Parameter 'version' must be an integer, got '" + version + "'.");
        }
    }

    /** A stage in MLflow's spelling, whatever the case it was given in. */
    public static String stage(String stage) {
        for (String canonical : STAGES) {
            if (canonical.equalsIgnoreCase(stage == null ? "" : stage.strip())) {
                return canonical;
            }
        }
        throw MlflowException.invalidParameter("Invalid Model Version stage: " + stage + ". Value must be one of "
                + String.join(", ", STAGES) + ".");
    }

    /** The stages get-latest-versions asks for; none means all of them. */
    public static List<String> stages(List<String> stages) {
        return stages == null || stages.isEmpty() ? STAGES : stages.stream().map(RegistryRules::stage).distinct().toList();
    }

    /** Tags of a request, the last value of a repeated key winning (as MLflow's dict does), sorted by key. */
    public static <T> List<T> tags(List<T> tags, BiFunction<String, String, T> make,
                                   Function<T, String> key,
                                   Function<T, String> value) {
        if (tags == null) {
            return List.of();
        }
        Map<String, String> byKey = new LinkedHashMap<>();
        for (T tag : tags) {
            byKey.put(tagKey(key.apply(tag)), tagValue(value.apply(tag)));
        }
        List<T> valid = new ArrayList<>();
        byKey.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> valid.add(make.apply(entry.getKey(), entry.getValue())));
        return valid;
    }

    /** A tag key: as a run's tag key (characters, no path tricks), at most 250 characters. */
    public static String tagKey(String key) {
        TrackingRules.validateKey(key, "key");
        return key;
    }

    /** A tag value: protobuf reads an absent value as "", and MLflow stores it so. */
    public static String tagValue(String value) {
        String text = value == null ? "" : value;
        if (TrackingRules.length(text) > MAX_TAG_VALUE_LENGTH) {
            throw MlflowException.invalidParameter("'value' exceeds the maximum length of " + MAX_TAG_VALUE_LENGTH
                    + " characters");
        }
        return text;
    }

    /** An alias that get-model-version-by-alias and delete may name. */
    public static String alias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw MlflowException.invalidParameter("Registered model alias name cannot be empty.");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw MlflowException.invalidParameter("Invalid alias name: '" + alias + "'. Names may only contain "
                    + "alphanumerics, underscores (_), and dashes (-).");
        }
        if (TrackingRules.length(alias) > MAX_ALIAS_LENGTH) {
            throw MlflowException.invalidParameter("'Registered model alias name' exceeds the maximum length of "
                    + MAX_ALIAS_LENGTH + " characters");
        }
        return alias;
    }

    /** An alias a version may be given: not "latest" nor "v<number>", which model URIs read otherwise. */
    public static String newAlias(String alias) {
        alias(alias);
        if (isLatest(alias)) {
            throw MlflowException.invalidParameter("'latest' alias name (case insensitive) is reserved.");
        }
        if (VERSION_ALIAS.matcher(alias).matches()) {
            throw MlflowException.invalidParameter("Version alias name '" + alias + "' is reserved.");
        }
        return alias;
    }

    public static MlflowException modelNotFound(String name) {
        return MlflowException.notFound("Registered Model with name=" + name + " not found");
    }

    public static MlflowException versionNotFound(String name, String version) {
        return MlflowException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
    }

    /** "latest" (any case) names a model's highest version, as models:/name@latest reads it. */
    public static boolean isLatest(String alias) {
        return alias.toLowerCase(Locale.ROOT).equals("latest");
    }

    /** The logged model tag that lists the versions registering the model, as MLflow 3's server sets it. */
    public static final String MODEL_VERSIONS_TAG = "mlflow.modelVersions";

    /**
     * The mlflow.modelVersions tag with one more version, written as MLflow's server writes it (Python's json.dumps
     * of a list of {"name", "version"} with the version a number), an entry that is already there kept once.
     *
     * @param existing the tag's value, or null
     */
    public static String withModelVersion(String existing, String name, int version) {
        String entry = "{\"name\": " + Python.json(name) + ", \"version\": " + version + "}";
        String list = existing == null ? "" : existing.strip();
        if (!list.startsWith("[") || !list.endsWith("]") || list.substring(1, list.length() - 1).isBlank()) {
            return "[" + entry + "]";
        }
        if (list.contains(entry)) {
            return list;
        }
        return list.substring(0, list.length() - 1) + ", " + entry + "]";
    }
}
