package io.quarkflow.artifact.api;

import io.quarkflow.artifact.api.Messages.ListArtifactsResponse;
import io.quarkflow.artifact.service.LoggedModelArtifactService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * MLflow 3's ListLoggedModelArtifacts (service.proto: GET logged-models/{model_id}/artifacts/directories, under
 * /api and /ajax-api), served here because this service owns the bytes; the model itself is tracking-service's.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/logged-models/{model_id}/artifacts/directories")
@Produces(MediaType.APPLICATION_JSON)
public class LoggedModelArtifactResource {

    private final LoggedModelArtifactService artifacts;

    public LoggedModelArtifactResource(LoggedModelArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    /** page_token is accepted and ignored: like MLflow's own stores, one page holds the whole level. */
    @GET
    public Uni<ListArtifactsResponse> list(@PathParam("model_id") String modelId,
                                           @QueryParam("artifact_directory_path") String path) {
        return artifacts.list(modelId, path).map(ListArtifactsResponse::of);
    }
}
