package io.quarkflow.tracking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "quarkflow.tracking")
public interface TrackingConfig {

    /** Root under which each new experiment gets {@code <root>/<experiment_id>}; MLflow's default when it serves artifacts. */
    @WithDefault("mlflow-artifacts:/")
    String defaultArtifactRoot();

    /** Joins the root and a child the way MLflow's append_to_uri_path does: exactly one slash between them. */
    default String artifactLocationFor(String experimentId) {
        String root = defaultArtifactRoot();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        return root + "/" + experimentId;
    }
}
