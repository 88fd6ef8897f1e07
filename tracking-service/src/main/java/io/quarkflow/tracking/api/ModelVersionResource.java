package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.tracking.api.RegistryMessages.CreateModelVersion;
import io.quarkflow.tracking.api.RegistryMessages.DeleteModelVersionTag;
import io.quarkflow.tracking.api.RegistryMessages.GetModelVersionDownloadUriResponse;
import io.quarkflow.tracking.api.RegistryMessages.ModelVersionRequest;
import io.quarkflow.tracking.api.RegistryMessages.ModelVersionResponse;
import io.quarkflow.tracking.api.RegistryMessages.SearchModelVersionsResponse;
import io.quarkflow.tracking.api.RegistryMessages.SetModelVersionTag;
import io.quarkflow.tracking.api.RegistryMessages.TransitionModelVersionStage;
import io.quarkflow.tracking.api.RegistryMessages.UpdateModelVersion;
import io.quarkflow.tracking.service.ModelVersionService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** MLflow's model-version endpoints (model_registry.proto), under /api/2.0/mlflow and /ajax-api/2.0/mlflow. */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/model-versions")
@Produces(MediaType.APPLICATION_JSON)
public class ModelVersionResource {

    private final ModelVersionService versions;

    public ModelVersionResource(ModelVersionService versions) {
        this.versions = versions;
    }

    @POST
    @Path("create")
    public Uni<ModelVersionResponse> create(CreateModelVersion request) {
        CreateModelVersion body = Requests.body(request);
        return versions.create(body.name(), body.source(), body.runId(), body.tags(), body.runLink(), body.description(),
                        body.modelId())
                .map(ModelVersionResponse::new);
    }

    @GET
    @Path("get")
    public Uni<ModelVersionResponse> get(@QueryParam("name") String name, @QueryParam("version") String version) {
        return versions.get(name, version).map(ModelVersionResponse::new);
    }

    @PATCH
    @Path("update")
    public Uni<ModelVersionResponse> update(UpdateModelVersion request) {
        UpdateModelVersion body = Requests.body(request);
        return versions.update(body.name(), body.version(), body.description()).map(ModelVersionResponse::new);
    }

    @POST
    @Path("transition-stage")
    public Uni<ModelVersionResponse> transition(TransitionModelVersionStage request) {
        TransitionModelVersionStage body = Requests.body(request);
        return versions.transition(body.name(), body.version(), body.stage(), body.archiveExistingVersions())
                .map(ModelVersionResponse::new);
    }

    @DELETE
    @Path("delete")
    public Uni<Map<String, Object>> delete(ModelVersionRequest request) {
        ModelVersionRequest body = Requests.body(request);
        return versions.delete(body.name(), body.version()).replaceWith(Messages.EMPTY);
    }

    @GET
    @Path("search")
    public Uni<SearchModelVersionsResponse> search(@QueryParam("filter") String filter,
                                                   @QueryParam("max_results") String maxResults,
                                                   @QueryParam("order_by") List<String> orderBy,
                                                   @QueryParam("page_token") String pageToken) {
        return versions.search(filter, Requests.optionalLong(maxResults, "max_results"), orderBy, pageToken)
                .map(page -> new SearchModelVersionsResponse(page.items(), page.nextPageToken()));
    }

    @POST
    @Path("set-tag")
    public Uni<Map<String, Object>> setTag(SetModelVersionTag request) {
        SetModelVersionTag body = Requests.body(request);
        return versions.setTag(body.name(), body.version(), body.key(), body.value()).replaceWith(Messages.EMPTY);
    }

    @DELETE
    @Path("delete-tag")
    public Uni<Map<String, Object>> deleteTag(DeleteModelVersionTag request) {
        DeleteModelVersionTag body = Requests.body(request);
        return versions.deleteTag(body.name(), body.version(), body.key()).replaceWith(Messages.EMPTY);
    }

    @GET
    @Path("get-download-uri")
    public Uni<GetModelVersionDownloadUriResponse> downloadUri(@QueryParam("name") String name,
                                                               @QueryParam("version") String version) {
        return versions.downloadUri(name, version).map(GetModelVersionDownloadUriResponse::new);
    }
}
