package io.quarkflow.tracking.api;

import io.quarkflow.tracking.domain.DatasetInput;
import io.quarkflow.tracking.domain.DatasetSummary;
import io.quarkflow.tracking.domain.Experiment;
import io.quarkflow.tracking.domain.ExperimentTag;
import io.quarkflow.tracking.domain.LoggedModel;
import io.quarkflow.tracking.domain.LoggedModelParameter;
import io.quarkflow.tracking.domain.LoggedModelSearchRules;
import io.quarkflow.tracking.domain.LoggedModelTag;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.ModelInput;
import io.quarkflow.tracking.domain.ModelOutput;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * Request and response bodies, named after MLflow's protobuf messages (service.proto). Field names become
 * snake_case on the wire; enums and ids that MLflow accepts in several forms arrive as strings and are parsed
 * by the services. Registered with their nested records for native images.
 */
@RegisterForReflection
public final class Messages {

    private Messages() {
    }


    /** MLflow answers requests that return nothing with an empty object. */
    public static final Map<String, Object> EMPTY = Map.of();

    public record CreateExperiment(String name, String artifactLocation, List<ExperimentTag> tags) {
    }

    public record CreateExperimentResponse(String experimentId) {
    }

    public record ExperimentRequest(String experimentId) {
    }

    public record GetExperimentResponse(Experiment experiment) {
    }

    public record UpdateExperiment(String experimentId, String newName) {
    }

    public record SetExperimentTag(String experimentId, String key, String value) {
    }

    public record DeleteExperimentTag(String experimentId, String key) {
    }

    public record SearchExperiments(Long maxResults, String pageToken, String filter, List<String> orderBy,
                                    String viewType) {
    }

    public record SearchExperimentsResponse(List<Experiment> experiments, String nextPageToken) {
    }

    public record SearchDatasets(List<String> experimentIds) {
    }

    public record SearchDatasetsResponse(List<DatasetSummary> datasetSummaries) {
    }

    public record CreateRun(String experimentId, String userId, Long startTime, String runName, List<RunTag> tags) {
    }

    public record RunResponse(Run run) {
    }

    public record RunRequest(String runId, String runUuid) {
    }

    public record UpdateRun(String runId, String runUuid, String status, Long endTime, String runName) {
    }

    public record UpdateRunResponse(RunInfo runInfo) {
    }

    public record LogMetric(String runId, String runUuid, String key, Double value, Long timestamp, Long step,
                            String modelId, String datasetName, String datasetDigest) {
    }

    public record LogParam(String runId, String runUuid, String key, String value) {
    }

    public record SetTag(String runId, String runUuid, String key, String value) {
    }

    public record DeleteTag(String runId, String runUuid, String key) {
    }

    public record LogBatch(String runId, String runUuid, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    }

    public record LogInputs(String runId, String runUuid, List<DatasetInput> datasets, List<ModelInput> models) {
    }

    public record LogOutputs(String runId, List<ModelOutput> models) {
    }

    public record LogModel(String runId, String runUuid, String modelJson) {
    }

    public record SearchRuns(List<String> experimentIds, String filter, String runViewType, Long maxResults,
                             List<String> orderBy, String pageToken) {
    }

    public record SearchRunsResponse(List<Run> runs, String nextPageToken) {
    }

    public record CreateLoggedModel(String experimentId, String name, String modelType, String sourceRunId,
                                    List<LoggedModelParameter> params, List<LoggedModelTag> tags) {
    }

    /** The answer of create, get and finalize. */
    public record LoggedModelResponse(LoggedModel model) {
    }

    /** status: a LoggedModelStatus name or number. */
    public record FinalizeLoggedModel(String modelId, String status) {
    }

    public record LogLoggedModelParams(String modelId, List<LoggedModelParameter> params) {
    }

    public record SetLoggedModelTags(List<LoggedModelTag> tags) {
    }

    public record SearchLoggedModels(List<String> experimentIds, String filter, List<LoggedModelSearchRules.Dataset> datasets,
                                     Long maxResults, List<LoggedModelSearchRules.OrderBy> orderBy, String pageToken) {
    }

    public record SearchLoggedModelsResponse(List<LoggedModel> models, String nextPageToken) {
    }

    public record GetMetricHistoryResponse(List<Metric> metrics, String nextPageToken) {
    }

    public record MetricsResponse(List<Metric> metrics) {
    }
}
