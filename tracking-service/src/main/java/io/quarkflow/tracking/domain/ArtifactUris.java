package io.quarkflow.tracking.domain;

/** Builds artifact locations the way MLflow's append_to_uri_path does: exactly one slash between parts. */
public final class ArtifactUris {

    private ArtifactUris() {
    }

    /** An experiment's default location: {@code <root>/<experiment_id>}. */
    public static String experimentLocation(String root, String experimentId) {
        return append(root, experimentId);
    }

    /** A run's artifact URI: {@code <experiment location>/<run_id>/artifacts}. */
    public static String runArtifacts(String experimentLocation, String runId) {
        return append(append(experimentLocation, runId), "artifacts");
    }

    /** A logged model's artifact location: {@code <experiment location>/models/<model_id>/artifacts}, as MLflow 3's. */
    public static String modelArtifacts(String experimentLocation, String modelId) {
        return append(append(append(experimentLocation, "models"), modelId), "artifacts");
    }

    private static String append(String base, String child) {
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        return base.substring(0, end) + "/" + child;
    }
}
