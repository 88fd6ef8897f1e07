package io.quarkflow.artifact.client;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Arrays;

/** tracking-service, which owns runs and so each run's artifact_uri (quarkus.rest-client.tracking-service.url). */
@RegisterRestClient(configKey = "tracking-service")
@Path("/api/2.0/mlflow")
public interface TrackingClient {

    @GET
    @Path("runs/get")
    Uni<GetRunResponse> getRun(@QueryParam("run_id") String runId);

    /** tracking-service's MLflow errors (a 404 RESOURCE_DOES_NOT_EXIST for an unknown run) pass through unchanged. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        ErrorBody error;
        try {
            error = response.readEntity(ErrorBody.class);
        } catch (ProcessingException | IllegalStateException e) {
            error = null;
        }
        if (error != null && error.errorCode() != null && isKnown(error.errorCode())) {
            return new MlflowException(ErrorCode.valueOf(error.errorCode()), error.message());
        }
        return new IllegalStateException("tracking-service answered HTTP " + response.getStatus());
    }

    private static boolean isKnown(String errorCode) {
        return Arrays.stream(ErrorCode.values()).anyMatch(code -> code.name().equals(errorCode));
    }

    record GetRunResponse(Run run) {
    }

    record Run(RunInfo info) {
    }

    record RunInfo(String runId, String artifactUri) {
    }

    record ErrorBody(String errorCode, String message) {
    }
}
