package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model version's source, as model-versions/create checks and reads it (mlflow/server/handlers.py,
 * _validate_source_run and _validate_non_local_source_contains_relative_paths; mlflow/store/model_registry/
 * sqlalchemy_store.py, create_model_version). Sources that name something the registry knows are resolved to where
 * the files are, so a version stays readable whatever becomes of the URI's form: {@code models:/<model_id>} (MLflow 3)
 * to the logged model's artifact location, {@code models:/<name>/<version>} to that version's, and
 * {@code runs:/<run_id>/<path>} (MLflow 2) to the run's artifact URI and path (a run it does not know stays a URI, which
 * MLflow's client resolves, as MLflow's server keeps every runs:/ source).
 *
 * <p>A client loads a version from where its source says, so what a version may name is held to the list an
 * experiment's artifact location is held to ({@link ArtifactLocations}): a plain URI must lie inside an allowed
 * location, and so must what a models:/ or runs:/ source resolves to. MLflow's server takes any non-local URI
 * ({@code s3://another-bucket/x}, {@code http://169.254.169.254/}); its nearest setting is
 * MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX, whose words the refusal starts with.
 *
 * @param kind        what the source names
 * @param id          the logged model id, the registered model name or the run id; null for {@link Kind#URI}
 * @param versionOrPath the version number of a {@code models:/<name>/<version>}, the artifact path of a runs:/ URI
 */
public record ModelSource(Kind kind, String source, String id, String versionOrPath) {

    /** PROMPT: a prompt version's source, which MLflow's client fills with text ("prompt-template"), no files. */
    public enum Kind { LOGGED_MODEL, MODEL_VERSION, RUN, URI, PROMPT }

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):(.*)$", Pattern.DOTALL);
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    /**
     * Parses and checks a request's source, a plain URI against the allowed locations too. A prompt version (a tag
     * mlflow.prompt.is_prompt, as MLflow's server tells them) whose source is no URI is kept as text, as MLflow's
     * server keeps it unchecked; one that is a URI is checked as any other.
     */
    public static ModelSource parse(String source, String modelId, List<ModelVersionTag> tags,
                                    ArtifactLocations served) {
        boolean prompt = tags != null && tags.stream().anyMatch(tag -> RegistryRules.PROMPT_TAG.equals(tag.key()));
        if (prompt && source != null && !source.isEmpty() && scheme(source).isEmpty()) {
            return new ModelSource(Kind.PROMPT, source, null, null);
        }
        ModelSource parsed = parse(source, modelId);
        if (parsed.kind == Kind.URI) {
            served.refusal(withoutTrailingSlashes(source)).ifPresent(reason -> {
                throw MlflowException.invalidParameter("Invalid model version source: '" + source + "'. It is not "
                        + "allowed: " + reason + ".");
            });
        }
        return parsed;
    }

    /**
     * Checks where a models:/ or runs:/ source resolved to (a logged model's, a run's or a version's files), which
     * an experiment created before the allowed locations were narrowed may hold outside them. A runs:/ URI (of a run
     * this server does not know) stays a URI the client resolves through this server.
     */
    public void requireServed(String storageLocation, ArtifactLocations served) {
        if (kind == Kind.URI || kind == Kind.PROMPT || scheme(storageLocation).equals("runs")) {
            return;
        }
        served.refusal(withoutTrailingSlashes(storageLocation)).ifPresent(reason -> {
            throw MlflowException.invalidParameter("Invalid model version source: '" + source + "'. Its files are "
                    + "at '" + storageLocation + "', which is not allowed: " + reason + ".");
        });
    }

    /** Parses and checks a source's form; {@code modelId} is the request's model_id, which picks MLflow's wording. */
    public static ModelSource parse(String source, String modelId) {
        if (source == null || source.isEmpty()) {
            throw MlflowException.missing("source");
        }
        String scheme = scheme(source);
        if (scheme.isEmpty() || scheme.equals("file") || scheme.equals("local")) {
            // No local path is inside an artifact location of ours: they are mlflow-artifacts:/ and object stores.
            boolean byModel = modelId != null && !modelId.isEmpty();
            throw MlflowException.invalidParameter("Invalid model version source: '" + source + "'. To use a local "
                    + "path as a model version source, the " + (byModel ? "model_id" : "run_id") + " request parameter "
                    + "has to be specified and the local path has to be contained within the artifact directory of the "
                    + "run specified by the " + (byModel ? "model_id" : "run_id") + ".");
        }
        requireAbsolutePath(source);
        String path = source.substring(scheme.length() + 1);
        if (scheme.equals("models")) {
            return models(source, path);
        }
        if (scheme.equals("runs")) {
            return runs(source, path);
        }
        return new ModelSource(Kind.URI, source, null, null);
    }

    /** models:/<model_id> or models:/<name>/<version>; MLflow cannot register the other forms either. */
    private static ModelSource models(String source, String path) {
        String[] parts = path.replaceFirst("^/+", "").split("/", -1);
        if (parts.length == 1 && !parts[0].isBlank() && !parts[0].contains("@")) {
            return new ModelSource(Kind.LOGGED_MODEL, source, parts[0], null);
        }
        if (parts.length == 2 && !parts[0].isBlank() && DIGITS.matcher(parts[1]).matches()) {
            return new ModelSource(Kind.MODEL_VERSION, source, parts[0], parts[1]);
        }
        throw unfetchable(source, "Only models:/<model_id> and models:/<name>/<version> name one model's files.");
    }

    private static ModelSource runs(String source, String path) {
        String rest = path.replaceFirst("^/+", "");
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String artifactPath = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (runId.isEmpty()) {
            throw MlflowException.invalidParameter("Not a proper runs:/ URI: " + source + ". Runs URIs are expected "
                    + "to be of the form 'runs:/<run_id>/run-relative/path/to/artifact'");
        }
        return new ModelSource(Kind.RUN, source, runId, artifactPath);
    }

    /**
     * A run of slashes at the end names the same place as one (MLflow accepts {@code mlflow-artifacts:/models///});
     * empty segments inside the path stay refused, as an object store's key would keep them.
     */
    private static String withoutTrailingSlashes(String uri) {
        return uri.replaceFirst("/{2,}$", "/");
    }

    /** MLflow's words when a models:/ source names nothing it can read (its server answers them with a 500). */
    public static MlflowException unfetchable(String source, String error) {
        return MlflowException.invalidParameter("Unable to fetch model from model URI source artifact location '"
                + source + "'.Error: " + error);
    }

    /**
     * No relative path, NUL or encoded traversal, however often percent-encoded: the path must be absolute and equal
     * its normal form (MLflow compares it with its resolved form, which is the same for the paths it accepts).
     */
    private static void requireAbsolutePath(String source) {
        String decoded = source;
        String previous;
        do {
            previous = decoded;
            decoded = unquotePlus(previous);
        } while (!decoded.equals(previous));
        String path = urlPath(decoded).replaceAll("/+", "/").replaceAll("/+$", "");
        boolean dotDot = false;
        for (String segment : decoded.split("/", -1)) {
            dotDot |= segment.equals("..");
        }
        if (path.indexOf('\u0000') >= 0 || dotDot || !path.startsWith("/") || !TrackingRules.normpath(path).equals(path)) {
            throw MlflowException.invalidParameter("Invalid model version source: '" + source + "'. If supplying a "
                    + "source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an "
                    + "absolute path must be provided without relative path references present. Please provide an "
                    + "absolute path.");
        }
    }

    /** The path of a URI as Python's urlparse splits it: after the scheme and any //authority, before ?query. */
    private static String urlPath(String uri) {
        String scheme = scheme(uri);
        String rest = scheme.isEmpty() ? uri : uri.substring(scheme.length() + 1);
        if (rest.startsWith("//")) {
            int end = 2;
            while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            rest = rest.substring(end);
        }
        int query = rest.indexOf('?');
        int fragment = rest.indexOf('#');
        int end = rest.length();
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return rest.substring(0, end);
    }

    private static String scheme(String uri) {
        Matcher matcher = SCHEME.matcher(uri);
        return matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) : "";
    }

    private static String unquotePlus(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A lone '%' is left as it is, as Python's unquote leaves it.
            return text;
        }
    }
}
