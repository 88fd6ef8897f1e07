package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;

/** MLflow's "does not exist" errors for the entities of tracking, worded as its SQL store words them. */
public final class NotFound {

    private NotFound() {
    }

    public static MlflowException experiment(String experimentId) {
        return MlflowException.notFound("No Experiment with id=" + experimentId + " exists");
    }

    public static MlflowException run(String runId) {
        return MlflowException.notFound("Run with id=" + runId + " not found");
    }

    public static MlflowException loggedModel(String modelId) {
        return MlflowException.notFound("Logged model with ID '" + modelId + "' not found.");
    }
}
