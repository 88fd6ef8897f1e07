package io.quarkflow.artifact.api;

import io.quarkflow.artifact.service.RunArtifactService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/**
 * The web UI's upload of a run artifact (server/__init__.py: /ajax-api/2.0/mlflow/upload-artifact, ajax-api only):
 * the raw body becomes the file. The UI sends it as application/json, the only POST type this service accepts.
 */
@Path("/ajax-api/2.0/mlflow/upload-artifact")
public class UploadArtifactResource {

    private final RunArtifactService artifacts;

    public UploadArtifactResource(RunArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    /** MLflow answers an empty application/json body, not "{}". */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Uni<Response> upload(@QueryParam("run_uuid") String runUuid, @QueryParam("path") String path,
                                @Context HttpHeaders headers, InputStream body) {
        return artifacts.upload(runUuid, path, body, ContentLength.of(headers))
                .replaceWith(() -> Response.ok().type(MediaType.APPLICATION_JSON_TYPE).build());
    }
}
