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

    /** Params and tags only: the callers log no metrics. At most 100 params and 100 tags per request. */
    @TrackingJson
    public record LogBatchRequest(String runId, List<Param> params, List<RunTag> tags) {
    }

    @TrackingJson
    public record Param(String key, String value) {
    }

    /** {@code run_view_type} is MLflow's ViewType name (ACTIVE_ONLY, DELETED_ONLY, ALL); null for ACTIVE_ONLY. */
    @TrackingJson
    public record SearchRunsRequest(List<String> experimentIds, String filter, String runViewType, Integer maxResults,
                                    String pageToken) {
    }

    /** {@code next_page_token} is null on the last page. */
    @TrackingJson
    public record SearchRunsResponse(List<Run> runs, String nextPageToken) {
    }

    @TrackingJson
    public record SearchExperimentsRequest(String filter, String viewType, Long maxResults, String pageToken) {
    }

    @TrackingJson
    public record SearchExperimentsResponse(List<Experiment> experiments, String nextPageToken) {
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

    /** {@code data} is null when tracking-service leaves it out (a run with no params, metrics or tags). */
    @TrackingJson
    public record Run(RunInfo info, RunData data) {
    }

    @TrackingJson
    public record RunData(List<RunTag> tags, List<Param> params, List<Metric> metrics) {
    }

    /** A metric's latest value, as get-run answers it. */
    @TrackingJson
    public record Metric(String key, double value, long timestamp, long step) {
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
