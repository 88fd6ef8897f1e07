package io.quarkflow.tracking.domain;

import java.util.List;

/**
 * MLflow's ModelVersion message. As MLflow's server answers it: run_id and run_link are empty strings when the client
 * gave none, status is always READY (nothing is copied, so registration is done when the version exists), and
 * model_id, the logged model a version registers, is kept but not answered (MLflow 3.3's SQL store does not either).
 *
 * @param version the version number as text, as MLflow's wire format has it
 */
public record ModelVersion(
        String name,
        String version,
        Long creationTimestamp,
        Long lastUpdatedTimestamp,
        String userId,
        String currentStage,
        String description,
        String source,
        String runId,
        String status,
        String statusMessage,
        List<ModelVersionTag> tags,
        String runLink,
        List<String> aliases) {

    public ModelVersion withTags(List<ModelVersionTag> versionTags) {
        return new ModelVersion(name, version, creationTimestamp, lastUpdatedTimestamp, userId, currentStage,
                description, source, runId, status, statusMessage, versionTags, runLink, aliases);
    }

    public ModelVersion withAliases(List<String> versionAliases) {
        return new ModelVersion(name, version, creationTimestamp, lastUpdatedTimestamp, userId, currentStage,
                description, source, runId, status, statusMessage, tags, runLink, versionAliases);
    }
}
