package io.quarkflow.artifact.api;

import io.quarkflow.artifact.service.LoggedModelArtifactService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The web UI's download of a logged model's artifact (server/__init__.py:
 * /ajax-api/2.0/mlflow/logged-models/&lt;model_id&gt;/artifacts/files, ajax-api only). Blocking: the download
 * streams on the worker thread the answer resumes on.
 */
@Path("/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files")
@Produces(MediaType.WILDCARD)
public class LoggedModelFileResource {

    private final LoggedModelArtifactService artifacts;

    public LoggedModelFileResource(LoggedModelArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    @GET
    @Blocking
    public Uni<Response> download(@PathParam("model_id") String modelId,
                                  @QueryParam("artifact_file_path") String path) {
        return artifacts.download(modelId, path).map(Attachments::download);
    }

    /** Declared so that JAX-RS does not answer HEAD through the GET method, whose stream it would never close. */
    @HEAD
    @Blocking
    public Uni<Response> head(@PathParam("model_id") String modelId, @QueryParam("artifact_file_path") String path) {
        return artifacts.download(modelId, path).map(Attachments::head);
    }
}
