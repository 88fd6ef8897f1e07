package io.quarkflow.artifact.api;

import io.quarkflow.artifact.api.Messages.ListArtifactsResponse;
import io.quarkflow.artifact.service.ArtifactProxyService;
import io.quarkflow.artifact.service.ArtifactProxyService.Download;
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
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

    /** Always an attachment, never sniffed, so no artifact can run as a page on this origin (as MLflow does). */
    @GET
    @Path("{path:.+}")
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response download(@PathParam("path") String path) {
        Download download = artifacts.download(path);
        StreamingOutput body = output -> {
            try (InputStream input = download.stream()) {
                input.transferTo(output);
            }
        };
        return attachment(Response.ok(body), download);
    }

    /** Declared so that JAX-RS does not answer HEAD through the GET method, whose stream it would never close. */
    @HEAD
    @Path("{path:.+}")
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response head(@PathParam("path") String path) throws IOException {
        Download download = artifacts.download(path);
        download.stream().close();
        return attachment(Response.ok(), download);
    }

    @PUT
    @Path("{path:.+}")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Map<String, Object> upload(@PathParam("path") String path, @Context HttpHeaders headers, InputStream body) {
        artifacts.upload(path, body, headers.getLength());
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

    private static Response attachment(Response.ResponseBuilder response, Download download) {
        response.type(download.contentType())
                .header("Content-Disposition", contentDisposition(download.fileName()))
                .header("X-Content-Type-Options", "nosniff");
        if (download.size() >= 0) {
            response.header(HttpHeaders.CONTENT_LENGTH, download.size());
        }
        return response.build();
    }

    /** RFC 6266: a quoted ASCII fallback plus the exact UTF-8 name. */
    private static String contentDisposition(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "\\\\").replace("\"", "\\\"");
        String utf8 = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
