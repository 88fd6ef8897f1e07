package io.quarkflow.gateway;

import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the holder of a run token may change: its own run, and nothing else. Reads pass as for any read-only
 * identity; this decides the writes (routes that need {@link Permission#EDIT}) from the method and the normalised
 * path alone, and says what else must hold: that the JSON body names the run, or that a logged model comes from it.
 * Whatever is not listed here is refused, so a new write endpoint is closed to runs until it is added. Pure: the
 * body is read and the model looked up by {@link RunWrites}.
 */
final class RunScope {

    /** MLflow's run writes whose JSON body names the run as {@code run_id} (or the older {@code run_uuid}). */
    private static final Set<String> RUN_WRITES = Set.of("runs/log-metric", "runs/log-parameter", "runs/log-batch",
            "runs/set-tag", "runs/delete-tag", "runs/update", "runs/log-inputs", "runs/outputs", "runs/log-model");
    private static final List<String> APIS = List.of("/api/2.0/", "/ajax-api/2.0/");
    private static final String LOGGED_MODELS = "mlflow/logged-models";
    private static final String ARTIFACTS = "mlflow-artifacts/artifacts/";
    private static final List<String> MULTIPART = List.of("mlflow-artifacts/mpu/create/",
            "mlflow-artifacts/mpu/complete/", "mlflow-artifacts/mpu/abort/");

    /** What must hold for a run's write to pass. */
    sealed interface Requirement {
    }

    /** Passes as it is: the path names the run itself. */
    record Allowed() implements Requirement {
    }

    /** Refused whatever the body says. */
    record Refused() implements Requirement {
    }

    /**
     * The JSON body must name the run in at least one of these top-level fields, and every one of them that is
     * present (not null, not empty) must name it.
     */
    record BodyNamesRun(List<String> fields) implements Requirement {
    }

    /** The logged model must be the run's own: its {@code source_run_id}, which tracking-service knows. */
    record ModelOfRun(String modelId) implements Requirement {
    }

    private RunScope() {
    }

    /** What a write by the run {@code runId} to this path needs; {@code path} is normalised (no dot segments). */
    static Requirement of(HttpMethod method, String path, String runId) {
        for (String api : APIS) {
            if (path.startsWith(api)) {
                return within(method, path.substring(api.length()), runId);
            }
        }
        return new Refused();
    }

    private static Requirement within(HttpMethod method, String rest, String runId) {
        if (rest.startsWith("mlflow/") && RUN_WRITES.contains(rest.substring("mlflow/".length()))) {
            return method == HttpMethod.POST ? new BodyNamesRun(List.of("run_id", "run_uuid")) : new Refused();
        }
        if (rest.equals(LOGGED_MODELS)) {
            return method == HttpMethod.POST ? new BodyNamesRun(List.of("source_run_id")) : new Refused();
        }
        if (rest.startsWith(LOGGED_MODELS + "/")) {
            return loggedModel(method, segments(rest.substring(LOGGED_MODELS.length() + 1)));
        }
        if (rest.startsWith(ARTIFACTS) && (method == HttpMethod.PUT || method == HttpMethod.DELETE)) {
            return artifact(segments(rest.substring(ARTIFACTS.length())), runId);
        }
        for (String multipart : MULTIPART) {
            if (rest.startsWith(multipart) && method == HttpMethod.POST) {
                return artifact(segments(rest.substring(multipart.length())), runId);
            }
        }
        return new Refused();
    }

    /**
     * A model's own writes: {@code {id}} PATCH (finalize) and DELETE, {@code {id}/params} POST, {@code {id}/tags}
     * PATCH, {@code {id}/tags/{key}} DELETE.
     */
    private static Requirement loggedModel(HttpMethod method, List<String> segments) {
        if (segments.isEmpty()) {
            return new Refused();
        }
        String modelId = segments.get(0);
        boolean write = switch (segments.size()) {
            case 1 -> method == HttpMethod.PATCH || method == HttpMethod.DELETE;
            case 2 -> segments.get(1).equals("params") && method == HttpMethod.POST
                    || segments.get(1).equals("tags") && method == HttpMethod.PATCH;
            case 3 -> segments.get(1).equals("tags") && method == HttpMethod.DELETE;
            default -> false;
        };
        return write ? new ModelOfRun(modelId) : new Refused();
    }

    /**
     * MLflow's default locations under the artifact root: a run's {@code <experiment id>/<run id>/artifacts/...}
     * and a logged model's {@code <experiment id>/models/<model id>/artifacts/...}. The experiment segment is not
     * checked: run ids are unique, so a path with this run's id belongs to no other run.
     */
    private static Requirement artifact(List<String> segments, String runId) {
        if (segments.size() >= 3 && segments.get(1).equals(runId) && segments.get(2).equals("artifacts")) {
            return new Allowed();
        }
        if (segments.size() >= 4 && segments.get(1).equals("models") && segments.get(3).equals("artifacts")) {
            return new ModelOfRun(segments.get(2));
        }
        return new Refused();
    }

    /**
     * The path's segments, percent-decoded as the services decode them. Empty when any segment is empty, decodes to
     * a dot segment or holds a slash, backslash or NUL once decoded: such a path could mean another place to the
     * service than it does here, and no MLflow client sends one.
     */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/", -1)) {
            String segment;
            try {
                segment = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return List.of();
            }
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("/")
                    || segment.contains("\\") || segment.contains("\0")) {
                return List.of();
            }
            segments.add(segment);
        }
        return segments;
    }
}
