package io.quarkflow.artifact.api;

import io.quarkflow.artifact.api.Messages.ListArtifactsResponse;
import io.quarkflow.artifact.service.RunArtifactService;
import io.quarkflow.mlflow.errors.Requests;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The tracking API's artifacts/list, served here because this service owns artifact locations. */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class RunArtifactResource {

    private final RunArtifactService artifacts;

    public RunArtifactResource(RunArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    /** page_token is accepted and ignored: like MLflow's own stores, one page holds the whole level. */
    @GET
    @Path("list")
    public Uni<ListArtifactsResponse> list(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid,
                                           @QueryParam("path") String path) {
        return artifacts.list(Requests.runId(runId, runUuid), path)
                .map(ListArtifactsResponse::of);
    }
}
