package io.quarkflow.tracking.client;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.client.TrackingMessages.CreateExperimentRequest;
import io.quarkflow.tracking.client.TrackingMessages.CreateExperimentResponse;
import io.quarkflow.tracking.client.TrackingMessages.CreateRunRequest;
import io.quarkflow.tracking.client.TrackingMessages.CreateRunResponse;
import io.quarkflow.tracking.client.TrackingMessages.ErrorResponse;
import io.quarkflow.tracking.client.TrackingMessages.GetExperimentByNameResponse;
import io.quarkflow.tracking.client.TrackingMessages.GetLoggedModelResponse;
import io.quarkflow.tracking.client.TrackingMessages.GetRunResponse;
import io.quarkflow.tracking.client.TrackingMessages.LogBatchRequest;
import io.quarkflow.tracking.client.TrackingMessages.SearchExperimentsRequest;
import io.quarkflow.tracking.client.TrackingMessages.SearchExperimentsResponse;
import io.quarkflow.tracking.client.TrackingMessages.SearchRunsRequest;
import io.quarkflow.tracking.client.TrackingMessages.SearchRunsResponse;
import io.quarkflow.tracking.client.TrackingMessages.SetTagRequest;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunRequest;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunResponse;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * tracking-service, which owns experiments, runs and logged models (quarkus.rest-client.tracking-service.url). Its
 * MLflow errors arrive as {@link MlflowException}; any other failed answer as an {@link IllegalStateException} naming
 * the status. Every call carries the suite's internal key ({@link InternalKeyHeader}).
 */
@RegisterRestClient(configKey = "tracking-service")
@RegisterProvider(InternalKeyHeader.class)
@Path("/api/2.0/mlflow")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface TrackingClient {

    @POST
    @Path("runs/create")
    Uni<CreateRunResponse> createRun(CreateRunRequest request);

    @POST
    @Path("runs/update")
    Uni<UpdateRunResponse> updateRun(UpdateRunRequest request);

    @GET
    @Path("runs/get")
    Uni<GetRunResponse> getRun(@QueryParam("run_id") String runId);

    @POST
    @Path("runs/set-tag")
    Uni<Void> setTag(SetTagRequest request);

    @POST
    @Path("runs/log-batch")
    Uni<Void> logBatch(LogBatchRequest request);

    @POST
    @Path("runs/search")
    Uni<SearchRunsResponse> searchRuns(SearchRunsRequest request);

    @POST
    @Path("experiments/search")
    Uni<SearchExperimentsResponse> searchExperiments(SearchExperimentsRequest request);

    @GET
    @Path("experiments/get-by-name")
    Uni<GetExperimentByNameResponse> getExperimentByName(@QueryParam("experiment_name") String name);

    @POST
    @Path("experiments/create")
    Uni<CreateExperimentResponse> createExperiment(CreateExperimentRequest request);

    @GET
    @Path("logged-models/{model_id}")
    Uni<GetLoggedModelResponse> getLoggedModel(@PathParam("model_id") String modelId);

    /** tracking-service's MLflow errors (a 404 RESOURCE_DOES_NOT_EXIST for an unknown run) pass through unchanged. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        ErrorResponse error = mlflowError(response);
        if (error != null && isKnown(error.errorCode())) {
            return new MlflowException(ErrorCode.valueOf(error.errorCode()), error.message());
        }
        return new IllegalStateException("tracking-service answered HTTP " + response.getStatus()
                + " without an MLflow error body");
    }

    /** Null when the body is not JSON, as from a proxy's HTML error page, or not JSON that Jackson can read. */
    private static ErrorResponse mlflowError(Response response) {
        if (!MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return null;
        }
        try {
            return response.readEntity(ErrorResponse.class);
        } catch (ProcessingException | WebApplicationException | IllegalStateException e) {
            return null;
        }
    }

    private static boolean isKnown(String errorCode) {
        return Arrays.stream(ErrorCode.values()).anyMatch(code -> code.name().equals(errorCode));
    }
}
