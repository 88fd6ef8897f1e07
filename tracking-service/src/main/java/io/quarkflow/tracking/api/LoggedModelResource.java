package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.tracking.api.Messages.CreateLoggedModel;
import io.quarkflow.tracking.api.Messages.FinalizeLoggedModel;
import io.quarkflow.tracking.api.Messages.LogLoggedModelParams;
import io.quarkflow.tracking.api.Messages.LoggedModelResponse;
import io.quarkflow.tracking.api.Messages.SearchLoggedModels;
import io.quarkflow.tracking.api.Messages.SearchLoggedModelsResponse;
import io.quarkflow.tracking.api.Messages.SetLoggedModelTags;
import io.quarkflow.tracking.service.LoggedModelSearchService;
import io.quarkflow.tracking.service.LoggedModelService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * MLflow 3's logged-model endpoints, under /api/2.0/mlflow and /ajax-api/2.0/mlflow. Ids travel in the path, as
 * the client builds them (unencoded: a model id or tag key never contains a slash here, as in MLflow's routes).
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/logged-models")
@Produces(MediaType.APPLICATION_JSON)
public class LoggedModelResource {

    private final LoggedModelService models;
    private final LoggedModelSearchService search;

    public LoggedModelResource(LoggedModelService models, LoggedModelSearchService search) {
        this.models = models;
        this.search = search;
    }

    @POST
    public Uni<LoggedModelResponse> create(CreateLoggedModel request) {
        CreateLoggedModel body = Requests.body(request);
        return models.create(body.experimentId(), body.name(), body.modelType(), body.sourceRunId(), body.params(),
                        body.tags())
                .map(LoggedModelResponse::new);
    }

    @GET
    @Path("{model_id}")
    public Uni<LoggedModelResponse> get(@PathParam("model_id") String modelId) {
        return models.get(modelId).map(LoggedModelResponse::new);
    }

    @PATCH
    @Path("{model_id}")
    public Uni<LoggedModelResponse> finalizeModel(@PathParam("model_id") String modelId, FinalizeLoggedModel request) {
        FinalizeLoggedModel body = Requests.body(request);
        return models.finalizeModel(modelId, body.modelId(), body.status()).map(LoggedModelResponse::new);
    }

    /** The client sends {"model_id"} as the body; the path names the model. */
    @DELETE
    @Path("{model_id}")
    public Uni<Map<String, Object>> delete(@PathParam("model_id") String modelId) {
        return models.delete(modelId).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("search")
    public Uni<SearchLoggedModelsResponse> search(SearchLoggedModels request) {
        SearchLoggedModels body = Requests.body(request);
        return search.search(body.experimentIds(), body.filter(), body.datasets(), body.maxResults(), body.orderBy(),
                        body.pageToken())
                .map(page -> new SearchLoggedModelsResponse(page.items(), page.nextPageToken()));
    }

    @POST
    @Path("{model_id}/params")
    public Uni<Map<String, Object>> logParams(@PathParam("model_id") String modelId, LogLoggedModelParams request) {
        LogLoggedModelParams body = Requests.body(request);
        return models.logParams(modelId, body.modelId(), body.params()).replaceWith(Messages.EMPTY);
    }

    /** MLflow's proto declares the model as the answer; its server answers {}, which is what the client reads. */
    @PATCH
    @Path("{model_id}/tags")
    public Uni<Map<String, Object>> setTags(@PathParam("model_id") String modelId, SetLoggedModelTags request) {
        SetLoggedModelTags body = Requests.body(request);
        return models.setTags(modelId, body.tags()).replaceWith(Messages.EMPTY);
    }

    @DELETE
    @Path("{model_id}/tags/{tag_key}")
    public Uni<Map<String, Object>> deleteTag(@PathParam("model_id") String modelId,
                                              @PathParam("tag_key") String tagKey) {
        return models.deleteTag(modelId, tagKey).replaceWith(Messages.EMPTY);
    }
}
