package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.tracking.api.Messages.CreateExperiment;
import io.quarkflow.tracking.api.Messages.CreateExperimentResponse;
import io.quarkflow.tracking.api.Messages.DeleteExperimentTag;
import io.quarkflow.tracking.api.Messages.ExperimentRequest;
import io.quarkflow.tracking.api.Messages.GetExperimentResponse;
import io.quarkflow.tracking.api.Messages.SearchExperiments;
import io.quarkflow.tracking.api.Messages.SearchExperimentsResponse;
import io.quarkflow.tracking.api.Messages.SetExperimentTag;
import io.quarkflow.tracking.api.Messages.UpdateExperiment;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.service.ExperimentService;
import io.quarkflow.tracking.service.Page;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** MLflow's experiment endpoints, under /api/2.0/mlflow and /ajax-api/2.0/mlflow. */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {

    private final ExperimentService experiments;

    public ExperimentResource(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @POST
    @Path("create")
    public Uni<CreateExperimentResponse> create(CreateExperiment request) {
        CreateExperiment body = Requests.body(request);
        return experiments.create(body.name(), body.artifactLocation(), body.tags()).map(CreateExperimentResponse::new);
    }

    @GET
    @Path("get")
    public Uni<GetExperimentResponse> get(@QueryParam("experiment_id") String experimentId) {
        return experiments.get(experimentId).map(GetExperimentResponse::new);
    }

    @GET
    @Path("get-by-name")
    public Uni<GetExperimentResponse> getByName(@QueryParam("experiment_name") String name) {
        return experiments.getByName(name).map(GetExperimentResponse::new);
    }

    @POST
    @Path("update")
    public Uni<Map<String, Object>> update(UpdateExperiment request) {
        UpdateExperiment body = Requests.body(request);
        return experiments.rename(body.experimentId(), body.newName()).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("delete")
    public Uni<Map<String, Object>> delete(ExperimentRequest request) {
        return experiments.setLifecycleStage(Requests.body(request).experimentId(), LifecycleStage.deleted)
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("restore")
    public Uni<Map<String, Object>> restore(ExperimentRequest request) {
        return experiments.setLifecycleStage(Requests.body(request).experimentId(), LifecycleStage.active)
                .replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("set-experiment-tag")
    public Uni<Map<String, Object>> setTag(SetExperimentTag request) {
        SetExperimentTag body = Requests.body(request);
        return experiments.setTag(body.experimentId(), body.key(), body.value()).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("delete-experiment-tag")
    public Uni<Map<String, Object>> deleteTag(DeleteExperimentTag request) {
        DeleteExperimentTag body = Requests.body(request);
        return experiments.deleteTag(body.experimentId(), body.key()).replaceWith(Messages.EMPTY);
    }

    @POST
    @Path("search")
    public Uni<SearchExperimentsResponse> search(SearchExperiments request) {
        SearchExperiments body = Requests.body(request);
        return experiments.search(body.viewType(), body.filter(), body.orderBy(), body.maxResults(), body.pageToken())
                .map(ExperimentResource::searchResponse);
    }

    @GET
    @Path("search")
    public Uni<SearchExperimentsResponse> searchByQuery(@QueryParam("max_results") String maxResults,
                                                        @QueryParam("page_token") String pageToken,
                                                        @QueryParam("filter") String filter,
                                                        @QueryParam("order_by") List<String> orderBy,
                                                        @QueryParam("view_type") String viewType) {
        return experiments.search(viewType, filter, orderBy, Requests.optionalLong(maxResults, "max_results"), pageToken)
                .map(ExperimentResource::searchResponse);
    }

    @POST
    @Path("search-datasets")
    public Uni<Messages.SearchDatasetsResponse> searchDatasets(Messages.SearchDatasets request) {
        return experiments.searchDatasets(Requests.body(request).experimentIds()).map(Messages.SearchDatasetsResponse::new);
    }

    private static SearchExperimentsResponse searchResponse(Page<io.quarkflow.tracking.domain.Experiment> page) {
        return new SearchExperimentsResponse(page.items(), page.nextPageToken());
    }
}
