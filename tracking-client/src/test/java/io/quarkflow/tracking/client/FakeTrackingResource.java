package io.quarkflow.tracking.client;

import io.quarkflow.internal.key.InternalKey;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Stands in for tracking-service: answers with the JSON tracking-service answers and keeps the last request as
 * it arrived (the body of a POST, the raw query of a GET), so tests see the client's field names on the wire.
 * Runs {@code missing-*} are unknown (MLflow's 404); {@code proxied-*} meet a proxy's HTML 502 page;
 * {@code odd-*} get a JSON error with a code MLflow does not have.
 */
@Path("/api/2.0/mlflow")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FakeTrackingResource {

    static final String RUN_INFO = """
            {"run_id": "r1", "run_uuid": "r1", "run_name": "nightly", "experiment_id": "7", "user_id": "ann",
             "status": "RUNNING", "start_time": 1700000000000, "end_time": 1700000060000,
             "artifact_uri": "mlflow-artifacts:/7/r1/artifacts", "lifecycle_stage": "active"}""";

    private static final String RUN = "{\"run\": {\"info\": " + RUN_INFO
            + ", \"data\": {\"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"nightly\"}]}, \"inputs\": {}}}";

    private static volatile String lastRequest;
    private static volatile String lastInternalKey;

    static String lastRequest() {
        return lastRequest;
    }

    static String lastInternalKey() {
        return lastInternalKey;
    }

    @POST
    @Path("runs/create")
    public String createRun(String body, @HeaderParam(InternalKey.HEADER) String internalKey) {
        lastRequest = body;
        lastInternalKey = internalKey;
        return RUN;
    }

    @POST
    @Path("runs/update")
    public String updateRun(String body) {
        lastRequest = body;
        return "{\"run_info\": " + RUN_INFO + "}";
    }

    @GET
    @Path("runs/get")
    public Response getRun(@QueryParam("run_id") String runId, @Context UriInfo uri) {
        lastRequest = uri.getRequestUri().getRawQuery();
        if (runId.startsWith("missing-")) {
            return json(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Run with id=" + runId
                    + " not found\"}");
        }
        if (runId.startsWith("proxied-")) {
            return Response.status(502).type(MediaType.TEXT_HTML_TYPE)
                    .entity("<html><body><h1>502 Bad Gateway</h1></body></html>").build();
        }
        if (runId.startsWith("odd-")) {
            return json(500, "{\"error_code\": \"SOMETHING_NEW\", \"message\": \"not one of MLflow's\"}");
        }
        return json(200, RUN);
    }

    @POST
    @Path("runs/set-tag")
    public String setTag(String body) {
        lastRequest = body;
        return "{}";
    }

    @GET
    @Path("experiments/get-by-name")
    public String getExperimentByName(@Context UriInfo uri) {
        lastRequest = uri.getRequestUri().getRawQuery();
        return """
                {"experiment": {"experiment_id": "7", "name": "nightly builds",
                 "artifact_location": "mlflow-artifacts:/7", "lifecycle_stage": "active",
                 "last_update_time": 1700000000000, "creation_time": 1700000000000,
                 "tags": [{"key": "team", "value": "ml"}]}}""";
    }

    @POST
    @Path("experiments/create")
    public String createExperiment(String body) {
        lastRequest = body;
        return "{\"experiment_id\": \"7\"}";
    }

    @GET
    @Path("logged-models/{model_id}")
    public Response getLoggedModel(@PathParam("model_id") String modelId, @Context UriInfo uri) {
        lastRequest = uri.getRequestUri().getRawPath();
        if (modelId.startsWith("m-missing")) {
            return json(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Logged model with ID '"
                    + modelId + "' not found.\"}");
        }
        return json(200, """
                {"model": {"info": {"model_id": "%s", "experiment_id": "7", "name": "model",
                 "artifact_uri": "mlflow-artifacts:/7/models/%s/artifacts", "status": "LOGGED_MODEL_READY",
                 "creation_timestamp_ms": 1700000000000, "tags": [{"key": "k", "value": "v"}]},
                 "data": {"params": [{"key": "alpha", "value": "0.5"}], "metrics": []}}}""".formatted(modelId, modelId));
    }

    private static Response json(int status, String body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
