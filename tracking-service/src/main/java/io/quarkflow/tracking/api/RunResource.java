package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.tracking.api.Messages.CreateRun;
import io.quarkflow.tracking.api.Messages.DeleteTag;
import io.quarkflow.tracking.api.Messages.LogBatch;
import io.quarkflow.tracking.api.Messages.LogInputs;
import io.quarkflow.tracking.api.Messages.LogMetric;
import io.quarkflow.tracking.api.Messages.LogModel;
import io.quarkflow.tracking.api.Messages.LogOutputs;
import io.quarkflow.tracking.api.Messages.LogParam;
import io.quarkflow.tracking.api.Messages.RunRequest;
import io.quarkflow.tracking.api.Messages.RunResponse;
import io.quarkflow.tracking.api.Messages.SearchRuns;
import io.quarkflow.tracking.api.Messages.SearchRunsResponse;
import io.quarkflow.tracking.api.Messages.SetTag;
import io.quarkflow.tracking.api.Messages.UpdateRun;
import io.quarkflow.tracking.api.Messages.UpdateRunResponse;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.service.RunLoggingService;
import io.quarkflow.tracking.service.RunSearchService;
import io.quarkflow.tracking.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** MLflow's run endpoints, under /api/2.0/mlflow and /ajax-api/2.0/mlflow. */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService runs;
    private final RunLoggingService logging;
    private final RunSearchService search;

    public RunResource(RunService runs, RunLoggingService logging, RunSearchService search) {
        this.runs = runs;
        this.logging = logging;
        this.search = search;
    }

    @POST
    @Path("create")
    public Uni<RunResponse> create(CreateRun request) {
        CreateRun body = Requests.body(request);
        return runs.create(body.experimentId(), body.userId(), body.startTime(), body.runName(), body.tags())
                .map(RunResponse::new);
    }

    @GET
    @Path("get")
    public Uni<RunResponse> get(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid) {
        return runs.get(Requests.runId(runId, runUuid)).map(RunResponse::new);
    }

    @POST
    @Path("update")
    public Uni<UpdateRunResponse> update(UpdateRun request) {
        UpdateRun body = Requests.body(request);
        return runs.update(Requests.runId(body.runId(), body.runUuid()), body.status(), body.endTime(), body.runName())
                .map(UpdateRunResponse::new);
    }

    @POST
    @Path("delete")
    public Uni<Map<String, Object>> delete(RunRequest request) {
        RunRequest body = Requests.body(request);
        return runs.setLifecycleStage(Requests.runId(body.runId(), body.runUuid()), LifecycleStage.deleted)
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("restore")
    public Uni<Map<String, Object>> restore(RunRequest request) {
        RunRequest body = Requests.body(request);
        return runs.setLifecycleStage(Requests.runId(body.runId(), body.runUuid()), LifecycleStage.active)
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("log-metric")
    public Uni<Map<String, Object>> logMetric(LogMetric request) {
        LogMetric body = Requests.body(request);
        return logging.logMetric(Requests.runId(body.runId(), body.runUuid()),
                        new Metric(body.key(), body.value(), body.timestamp(), body.step(), body.datasetName(),
                                body.datasetDigest(), body.modelId(), null))
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("log-parameter")
    public Uni<Map<String, Object>> logParam(LogParam request) {
        LogParam body = Requests.body(request);
        return logging.logParam(Requests.runId(body.runId(), body.runUuid()), new Param(body.key(), body.value()))
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("set-tag")
    public Uni<Map<String, Object>> setTag(SetTag request) {
        SetTag body = Requests.body(request);
        return logging.setTag(Requests.runId(body.runId(), body.runUuid()), new RunTag(body.key(), body.value()))
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("delete-tag")
    public Uni<Map<String, Object>> deleteTag(DeleteTag request) {
        DeleteTag body = Requests.body(request);
        return logging.deleteTag(Requests.runId(body.runId(), body.runUuid()), body.key()).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("log-batch")
    public Uni<Map<String, Object>> logBatch(LogBatch request) {
        LogBatch body = Requests.body(request);
        return logging.logBatch(Requests.runId(body.runId(), body.runUuid()), body.metrics(), body.params(), body.tags())
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("log-inputs")
    public Uni<Map<String, Object>> logInputs(LogInputs request) {
        LogInputs body = Requests.body(request);
        return logging.logInputs(Requests.runId(body.runId(), body.runUuid()), body.datasets(), body.models())
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("outputs")
    public Uni<Map<String, Object>> logOutputs(LogOutputs request) {
        LogOutputs body = Requests.body(request);
        return logging.logOutputs(Requests.runId(body.runId(), null), body.models()).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("search")
    public Uni<SearchRunsResponse> search(SearchRuns request) {
        SearchRuns body = Requests.body(request);
        return search.search(body.experimentIds(), body.filter(), body.runViewType(), body.maxResults(), body.orderBy(),
                        body.pageToken())
                .map(page -> new SearchRunsResponse(page.items(), page.nextPageToken()));
    }

    @POST
    @Path("log-model")
    public Uni<Map<String, Object>> logModel(LogModel request) {
        LogModel body = Requests.body(request);
        return logging.logModel(Requests.runId(body.runId(), body.runUuid()), body.modelJson())
                .replaceWith(Messages.EMPTY);
    }
}
