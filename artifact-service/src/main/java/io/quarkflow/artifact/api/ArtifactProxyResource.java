package io.quarkflow.artifact.api;

import io.quarkflow.artifact.api.Messages.ListArtifactsResponse;
import io.quarkflow.artifact.service.ArtifactProxyService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.Map;

/**
 * MLflow's artifact proxy, under /api/2.0/mlflow-artifacts and /ajax-api/2.0/mlflow-artifacts. Bytes stream
 * through java.io on a worker thread: neither side of a transfer is ever held whole in memory or on disk.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow-artifacts/artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class ArtifactProxyResource {

    private final ArtifactProxyService artifacts;

    public ArtifactProxyResource(ArtifactProxyService artifacts) {
        this.artifacts = artifacts;
    }

    @GET
    @Path("{path:.+}")
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response download(@PathParam("path") String path) {
        return Attachments.download(artifacts.download(path));
    }

    /** Declared so that JAX-RS does not answer HEAD through the GET method, whose stream it would never close. */
    @HEAD
    @Path("{path:.+}")
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response head(@PathParam("path") String path) {
        return Attachments.head(artifacts.download(path));
    }

    @PUT
    @Path("{path:.+}")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Map<String, Object> upload(@PathParam("path") String path, @Context HttpHeaders headers, InputStream body) {
        artifacts.upload(path, body, ContentLength.of(headers));
        return Messages.EMPTY;
    }

    @GET
    public Uni<ListArtifactsResponse> list(@QueryParam("path") String path) {
        return artifacts.list(path).map(files -> new ListArtifactsResponse(null, files));
    }

    @DELETE
    @Path("{path:.+}")
    public Uni<Map<String, Object>> delete(@PathParam("path") String path) {
        return artifacts.delete(path).replaceWith(Messages.EMPTY);
    }
}
