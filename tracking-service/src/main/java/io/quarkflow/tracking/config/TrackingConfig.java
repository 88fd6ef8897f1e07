package io.quarkflow.tracking.config;

import io.quarkflow.tracking.domain.ArtifactUris;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "quarkflow.tracking")
public interface TrackingConfig {

    /** Root under which each new experiment gets {@code <root>/<experiment_id>}; MLflow's default when it serves artifacts. */
    @WithDefault("mlflow-artifacts:/")
    String defaultArtifactRoot();

    default String artifactLocationFor(String experimentId) {
        return ArtifactUris.experimentLocation(defaultArtifactRoot(), experimentId);
    }
}
