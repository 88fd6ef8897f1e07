package io.quarkflow.artifact.api;

import io.quarkflow.artifact.api.Messages.AbortMultipartUpload;
import io.quarkflow.artifact.api.Messages.CompleteMultipartUpload;
import io.quarkflow.artifact.api.Messages.CreateMultipartUpload;
import io.quarkflow.artifact.api.Messages.CreateMultipartUploadResponse;
import io.quarkflow.artifact.api.Messages.MultipartUploadPart;
import io.quarkflow.artifact.domain.UploadedPart;
import io.quarkflow.artifact.service.MultipartUploadService;
import io.quarkflow.mlflow.errors.Requests;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** MLflow's proxied multipart upload: presigned part URLs on S3/MinIO, MLflow's 501 on a local directory. */
@Path("/{prefix:api|ajax-api}/2.0/mlflow-artifacts/mpu")
@Produces(MediaType.APPLICATION_JSON)
public class MultipartUploadResource {

    private final MultipartUploadService uploads;

    public MultipartUploadResource(MultipartUploadService uploads) {
        this.uploads = uploads;
    }

    @POST
    @Path("create/{path:.+}")
    public Uni<CreateMultipartUploadResponse> create(@PathParam("path") String path, CreateMultipartUpload request) {
        CreateMultipartUpload body = Requests.body(request);
        return uploads.create(path, body.path(), body.numParts())
                .map(created -> new CreateMultipartUploadResponse(created.uploadId(), created.credentials()));
    }

    @POST
    @Path("complete/{path:.+}")
    public Uni<Map<String, Object>> complete(@PathParam("path") String path, CompleteMultipartUpload request) {
        CompleteMultipartUpload body = Requests.body(request);
        return uploads.complete(path, body.path(), body.uploadId(), parts(body.parts()))
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("abort/{path:.+}")
    public Uni<Map<String, Object>> abort(@PathParam("path") String path, AbortMultipartUpload request) {
        AbortMultipartUpload body = Requests.body(request);
        return uploads.abort(path, body.path(), body.uploadId()).replaceWith(Messages.EMPTY);
    }

    /** A part without a number becomes part 0, which the service refuses with the rule it breaks. */
    private static List<UploadedPart> parts(List<MultipartUploadPart> parts) {
        return parts == null ? null : parts.stream()
                .map(part -> new UploadedPart(part.partNumber() == null ? 0 : part.partNumber(), part.etag()))
                .toList();
    }
}
