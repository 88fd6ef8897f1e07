package io.quarkflow.artifact.api;

import io.quarkflow.artifact.service.RunArtifactService;
import io.quarkflow.mlflow.errors.Requests;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The web UI's download of a run artifact, at the root as MLflow registers it (server/__init__.py: /get-artifact;
 * there is no /api or /ajax-api form). Blocking: the download streams on the worker thread the answer resumes on.
 */
@Path("/get-artifact")
@Produces(MediaType.WILDCARD)
public class GetArtifactResource {

    private final RunArtifactService artifacts;

    public GetArtifactResource(RunArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    @GET
    @Blocking
    public Uni<Response> download(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid,
                                  @QueryParam("path") String path) {
        return artifacts.download(Requests.runId(runId, runUuid), path).map(Attachments::download);
    }

    /** Declared so that JAX-RS does not answer HEAD through the GET method, whose stream it would never close. */
    @HEAD
    @Blocking
    public Uni<Response> head(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid,
                              @QueryParam("path") String path) {
        return artifacts.download(Requests.runId(runId, runUuid), path).map(Attachments::head);
    }
}
