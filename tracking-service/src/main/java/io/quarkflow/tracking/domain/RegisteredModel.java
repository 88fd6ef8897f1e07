package io.quarkflow.tracking.domain;

import java.util.List;

/**
 * MLflow's RegisteredModel message. As MLflow's server answers it: no user_id, a description only when one was set,
 * and latest_versions holding the highest version of each stage, without their aliases.
 */
public record RegisteredModel(
        String name,
        Long creationTimestamp,
        Long lastUpdatedTimestamp,
        String description,
        List<ModelVersion> latestVersions,
        List<RegisteredModelTag> tags,
        List<RegisteredModelAlias> aliases) {
}
