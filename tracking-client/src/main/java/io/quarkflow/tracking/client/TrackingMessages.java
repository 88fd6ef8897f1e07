package io.quarkflow.tracking.client;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The bodies this client sends and reads, named after MLflow's protobuf messages (service.proto), with only the
 * fields its callers use. Statuses and lifecycle stages stay strings: tracking-service owns their values.
 * Registered with their nested records for native images.
 */
@RegisterForReflection
public final class TrackingMessages {

    private TrackingMessages() {
    }

    /** {@code start_time} is in milliseconds since the epoch; tracking-service takes the current time if it is null. */
    @TrackingJson
    public record CreateRunRequest(String experimentId, String runName, List<RunTag> tags, Long startTime) {
    }

    @TrackingJson
    public record CreateRunResponse(Run run) {
    }

    @TrackingJson
    public record UpdateRunRequest(String runId, String status, Long endTime) {
    }

    @TrackingJson
    public record UpdateRunResponse(RunInfo runInfo) {
    }

    @TrackingJson
    public record GetRunResponse(Run run) {
    }

    @TrackingJson
    public record SetTagRequest(String runId, String key, String value) {
    }

    @TrackingJson
    public record CreateExperimentRequest(String name) {
    }

    @TrackingJson
    public record CreateExperimentResponse(String experimentId) {
    }

    @TrackingJson
    public record GetExperimentByNameResponse(Experiment experiment) {
    }

    @TrackingJson
    public record Run(RunInfo info) {
    }

    @TrackingJson
    public record RunInfo(String runId, String runName, String experimentId, String status, Long startTime,
                          Long endTime, String artifactUri, String lifecycleStage) {
    }

    @TrackingJson
    public record RunTag(String key, String value) {
    }

    @TrackingJson
    public record Experiment(String experimentId, String name, String artifactLocation, String lifecycleStage) {
    }

    @TrackingJson
    public record GetLoggedModelResponse(LoggedModel model) {
    }

    @TrackingJson
    public record LoggedModel(LoggedModelInfo info) {
    }

    /** MLflow's LoggedModelInfo: the model's artifact root is {@code artifact_uri} on the wire. */
    @TrackingJson
    public record LoggedModelInfo(String modelId, String experimentId, String name, String artifactUri) {
    }

    /** MLflow's error body, as tracking-service answers every failure. */
    @TrackingJson
    public record ErrorResponse(String errorCode, String message) {
    }
}
