package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.TrackingRules;

/** Parses the ids clients send; an id of a valid shape that cannot be ours simply does not exist. */
final class Ids {

    private Ids() {
    }

    static long experimentId(String experimentId, String field) {
        TrackingRules.validateExperimentId(experimentId, field);
        try {
            return Long.parseLong(experimentId);
        } catch (NumberFormatException e) {
            throw experimentNotFound(experimentId);
        }
    }

    static MlflowException experimentNotFound(String experimentId) {
        return MlflowException.notFound("No Experiment with id=" + experimentId + " exists");
    }

    static MlflowException runNotFound(String runId) {
        return MlflowException.notFound("Run with id=" + runId + " not found");
    }
}
