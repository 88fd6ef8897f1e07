package io.quarkflow.tracking.config;

import io.quarkflow.tracking.domain.ArtifactUris;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "quarkflow.tracking")
public interface TrackingConfig {

    /** Root under which each new experiment gets {@code <root>/<experiment_id>}; MLflow's default when it serves artifacts. */
    @WithDefault("mlflow-artifacts:/")
    String defaultArtifactRoot();

    /**
     * The URI prefixes an experiment's {@code artifact_location} may start with (see ArtifactLocations); absent,
     * only the default artifact root, which is what artifact-service serves.
     */
    Optional<List<String>> artifactLocations();

    /** Group commit of metric points (MetricWrites). */
    MetricWrites metricWrites();

    interface MetricWrites {

        /**
         * Statements of metric points running at once; further requests wait and are written together. Two kept the
         * database busiest on two cores: fewer, larger statements (log-metric via the gateway at 16 connections:
         * 3,350–3,620 requests/s with 2, 2,560 with 4; log-batch 620–720 against 530–590).
         */
        @WithDefault("2")
        int maxInFlight();

        /** The most points one statement takes (a request is never split). */
        @WithDefault("20000")
        int maxPoints();
    }

    /** When the search tables' planner statistics are refreshed (store/StatisticsRefresher). */
    Statistics statistics();

    interface Statistics {

        /** Off, only autovacuum refreshes them (once a minute at best, by default). */
        @WithDefault("true")
        boolean enabled();

        /** How often the tables' change counts are read. */
        @WithDefault("1s")
        Duration checkInterval();

        /**
         * A table is analyzed once it grew or shrank by this many rows since its last analyze, plus
         * {@link #scaleFactor()} of it.
         * Small, so that a fresh install's first thousand runs are analyzed too (analyzing a small table is cheap).
         */
        @WithDefault("100")
        long minChangedRows();

        /** The share of its rows a table must grow or shrink by to be analyzed again (autovacuum's is 0.1). */
        @WithDefault("0.1")
        double scaleFactor();
    }

    default String artifactLocationFor(String experimentId) {
        return ArtifactUris.experimentLocation(defaultArtifactRoot(), experimentId);
    }

    default List<String> allowedArtifactLocations() {
        return artifactLocations().orElseGet(() -> List.of(defaultArtifactRoot()));
    }
}
