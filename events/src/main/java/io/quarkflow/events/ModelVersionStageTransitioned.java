package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model version moved to another stage (model-versions/transition-stage). With
 * {@code archive_existing_versions} each other version that was in the new stage follows with its own event, to
 * Archived, in version order. A transition to the stage the version is in publishes nothing for it.
 *
 * @param version              the version number as text
 * @param oldStage             MLflow's stage name before: None, Staging, Production or Archived
 * @param newStage             MLflow's stage name after
 * @param lastUpdatedTimestamp epoch milliseconds
 */
public record ModelVersionStageTransitioned(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("old_stage") String oldStage,
        @JsonProperty("new_stage") String newStage,
        @JsonProperty("last_updated_timestamp") long lastUpdatedTimestamp) {

    public static final String TYPE = "io.quarkflow.model-version.stage-transitioned";
}
