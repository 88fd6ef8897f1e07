package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.tracking.api.RegistryMessages.CreateRegisteredModel;
import io.quarkflow.tracking.api.RegistryMessages.DeleteRegisteredModelTag;
import io.quarkflow.tracking.api.RegistryMessages.ModelVersionResponse;
import io.quarkflow.tracking.api.RegistryMessages.ModelVersionsResponse;
import io.quarkflow.tracking.api.RegistryMessages.RegisteredModelAliasRequest;
import io.quarkflow.tracking.api.RegistryMessages.RegisteredModelRequest;
import io.quarkflow.tracking.api.RegistryMessages.RegisteredModelResponse;
import io.quarkflow.tracking.api.RegistryMessages.RenameRegisteredModel;
import io.quarkflow.tracking.api.RegistryMessages.SearchRegisteredModelsResponse;
import io.quarkflow.tracking.api.RegistryMessages.SetRegisteredModelTag;
import io.quarkflow.tracking.api.RegistryMessages.UpdateRegisteredModel;
import io.quarkflow.tracking.service.RegisteredModelService;
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

/**
 * MLflow's registered-model endpoints (model_registry.proto), under /api/2.0/mlflow and /ajax-api/2.0/mlflow. GETs
 * take their fields from the query string, the others from a JSON body, as MLflow's client sends them.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/registered-models")
@Produces(MediaType.APPLICATION_JSON)
public class RegisteredModelResource {

    private final RegisteredModelService models;

    public RegisteredModelResource(RegisteredModelService models) {
        this.models = models;
    }

    @POST
    @Path("create")
    public Uni<RegisteredModelResponse> create(CreateRegisteredModel request) {
        CreateRegisteredModel body = Requests.body(request);
        return models.create(body.name(), body.tags(), body.description()).map(RegisteredModelResponse::new);
    }

    @GET
    @Path("get")
    public Uni<RegisteredModelResponse> get(@QueryParam("name") String name) {
        return models.get(name).map(RegisteredModelResponse::new);
    }

    @POST
    @Path("rename")
    public Uni<RegisteredModelResponse> rename(RenameRegisteredModel request) {
        RenameRegisteredModel body = Requests.body(request);
        return models.rename(body.name(), body.newName()).map(RegisteredModelResponse::new);
    }

    @PATCH
    @Path("update")
    public Uni<RegisteredModelResponse> update(UpdateRegisteredModel request) {
        UpdateRegisteredModel body = Requests.body(request);
        return models.update(body.name(), body.description()).map(RegisteredModelResponse::new);
    }

    @DELETE
    @Path("delete")
    public Uni<Map<String, Object>> delete(RegisteredModelRequest request) {
        return models.delete(Requests.body(request).name()).replaceWith(Messages.EMPTY);
    }

    @GET
    @Path("search")
    public Uni<SearchRegisteredModelsResponse> search(@QueryParam("filter") String filter,
                                                      @QueryParam("max_results") String maxResults,
                                                      @QueryParam("order_by") List<String> orderBy,
                                                      @QueryParam("page_token") String pageToken) {
        return models.search(filter, Requests.optionalLong(maxResults, "max_results"), orderBy, pageToken)
                .map(page -> new SearchRegisteredModelsResponse(page.items(), page.nextPageToken()));
    }

    /** MLflow's client POSTs first and falls back to GET; its server answers both. */
    @POST
    @Path("get-latest-versions")
    public Uni<ModelVersionsResponse> latestVersions(RegisteredModelRequest request) {
        RegisteredModelRequest body = Requests.body(request);
        return models.latestVersions(body.name(), body.stages()).map(ModelVersionsResponse::new);
    }

    @GET
    @Path("get-latest-versions")
    public Uni<ModelVersionsResponse> latestVersionsByQuery(@QueryParam("name") String name,
                                                            @QueryParam("stages") List<String> stages) {
        return models.latestVersions(name, stages).map(ModelVersionsResponse::new);
    }

    @POST
    @Path("set-tag")
    public Uni<Map<String, Object>> setTag(SetRegisteredModelTag request) {
        SetRegisteredModelTag body = Requests.body(request);
        return models.setTag(body.name(), body.key(), body.value()).replaceWith(Messages.EMPTY);
    }

    @DELETE
    @Path("delete-tag")
    public Uni<Map<String, Object>> deleteTag(DeleteRegisteredModelTag request) {
        DeleteRegisteredModelTag body = Requests.body(request);
        return models.deleteTag(body.name(), body.key()).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("alias")
    public Uni<Map<String, Object>> setAlias(RegisteredModelAliasRequest request) {
        RegisteredModelAliasRequest body = Requests.body(request);
        return models.setAlias(body.name(), body.alias(), body.version()).replaceWith(Messages.EMPTY);
    }

    @DELETE
    @Path("alias")
    public Uni<Map<String, Object>> deleteAlias(RegisteredModelAliasRequest request) {
        RegisteredModelAliasRequest body = Requests.body(request);
        return models.deleteAlias(body.name(), body.alias()).replaceWith(Messages.EMPTY);
    }

    @GET
    @Path("alias")
    public Uni<ModelVersionResponse> versionByAlias(@QueryParam("name") String name, @QueryParam("alias") String alias) {
        return models.versionByAlias(name, alias).map(ModelVersionResponse::new);
    }
}
