package io.quarkflow.artifact.api;

import io.quarkflow.artifact.api.Messages.PresignRequest;
import io.quarkflow.artifact.api.Messages.PresignResponse;
import io.quarkflow.artifact.service.PresignService;
import io.quarkflow.mlflow.errors.Requests;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Quarkflow's presigned direct transfers, under its own path so it can never collide with MLflow's. */
@Path("/api/2.0/quarkflow/artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class PresignResource {

    private final PresignService presigner;

    public PresignResource(PresignService presigner) {
        this.presigner = presigner;
    }

    @POST
    @Path("presign")
    public Uni<PresignResponse> presign(PresignRequest request) {
        PresignRequest body = Requests.body(request);
        return presigner.presign(body.runId(), body.artifactUri(), body.path(), body.method(), body.expiresInSeconds())
                .map(url -> new PresignResponse(url.url(), url.method(), url.expiresAt()));
    }
}
