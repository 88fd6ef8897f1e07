package io.quarkflow.tracking.domain;

import java.util.List;

/**
 * MLflow's LoggedModelInfo message. As MLflow's server does, model_type and source_run_id are empty strings when
 * the client gave none, and creator_id, status_message and registrations are not filled in.
 *
 * @param artifactUri where the model's files are: {@code <experiment location>/models/<model_id>/artifacts}
 */
public record LoggedModelInfo(
        String modelId,
        String experimentId,
        String name,
        Long creationTimestampMs,
        Long lastUpdatedTimestampMs,
        String artifactUri,
        LoggedModelStatus status,
        String modelType,
        String sourceRunId,
        List<LoggedModelTag> tags) {

    public LoggedModelInfo withTags(List<LoggedModelTag> modelTags) {
        return new LoggedModelInfo(modelId, experimentId, name, creationTimestampMs, lastUpdatedTimestampMs,
                artifactUri, status, modelType, sourceRunId, modelTags);
    }
}
