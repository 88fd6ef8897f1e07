package io.quarkflow.tracking.config;

import io.quarkflow.tracking.domain.ArtifactLocations;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The allow-list of experiments' artifact locations, made at start so that a prefix that is no URI stops the service. */
public class ArtifactLocationsProducer {

    @Produces
    @Singleton
    @Startup
    ArtifactLocations artifactLocations(TrackingConfig config) {
        return ArtifactLocations.allowing(config.allowedArtifactLocations());
    }
}
