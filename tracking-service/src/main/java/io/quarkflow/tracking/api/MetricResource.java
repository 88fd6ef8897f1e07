package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.Requests;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.tracking.api.Messages.MetricsResponse;
import io.quarkflow.tracking.service.MetricService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** MLflow's metric history endpoints, under /api/2.0/mlflow and /ajax-api/2.0/mlflow. */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricResource {

    private final MetricService metrics;
    private final ObjectMapper json;

    public MetricResource(MetricService metrics, ObjectMapper json) {
        this.metrics = metrics;
        this.json = json;
    }

    @GET
    @Path("get-history")
    public Uni<Buffer> history(@QueryParam("run_id") String runId,
                                                 @QueryParam("run_uuid") String runUuid,
                                                 @QueryParam("metric_key") String metricKey,
                                                 @QueryParam("max_results") String maxResults,
                                                 @QueryParam("page_token") String pageToken) {
        HistoryAnswer answer = new HistoryAnswer(json);
        return metrics.history(Requests.runId(runId, runUuid), metricKey,
                        Requests.optionalLong(maxResults, "max_results"), pageToken, answer::add)
                .map(answer::finish);
    }

    @GET
    @Path("get-history-bulk")
    public Uni<MetricsResponse> historyBulk(@QueryParam("run_id") List<String> runIds,
                                                                 @QueryParam("metric_key") String metricKey,
                                                                 @QueryParam("max_results") String maxResults) {
        return metrics.historyBulk(runIds, metricKey, Requests.optionalLong(maxResults, "max_results"))
                .map(MetricsResponse::new);
    }

    @GET
    @Path("get-history-bulk-interval")
    public Uni<MetricsResponse> historyBulkInterval(@QueryParam("run_ids") List<String> runIds,
                                                                         @QueryParam("metric_key") String metricKey,
                                                                         @QueryParam("start_step") String startStep,
                                                                         @QueryParam("end_step") String endStep,
                                                                         @QueryParam("max_results") String maxResults) {
        return metrics.historyBulkInterval(runIds, metricKey, Requests.optionalLong(startStep, "start_step"),
                        Requests.optionalLong(endStep, "end_step"), Requests.optionalLong(maxResults, "max_results"))
                .map(MetricsResponse::new);
    }
}
