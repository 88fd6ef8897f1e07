package io.quarkflow.projects.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.projects.domain.ProjectRun;
import io.quarkflow.projects.domain.SubmitProjectRun;
import io.quarkflow.projects.service.ProjectRunService;
import io.quarkflow.projects.service.SubmitService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Quarkflow's project-run API, under /api/2.0/quarkflow/projects (the gateway routes it with the same
 * authentication and permissions as MLflow's API; its logs are {@link LogsRoute}). Errors are MLflow's JSON.
 */
@Path("/api/2.0/quarkflow/projects/runs")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectRunResource {

    /** Who is calling, as the gateway authenticated them; the gateway sets it on every request it forwards. */
    static final String USER_HEADER = "X-Quarkflow-User";

    public record ProjectRunResponse(ProjectRun run) {
    }

    public record ListProjectRunsResponse(List<ProjectRun> runs, String nextPageToken) {
    }

    public record CancelProjectRun(String runId) {
    }

    private final SubmitService submit;
    private final ProjectRunService runs;

    public ProjectRunResource(SubmitService submit, ProjectRunService runs) {
        this.submit = submit;
        this.runs = runs;
    }

    @POST
    @Path("submit")
    public Uni<ProjectRunResponse> submit(SubmitProjectRun request, @HeaderParam(USER_HEADER) String user) {
        return submit.submit(Requests.body(request), user == null ? "" : user).map(ProjectRunResponse::new);
    }

    @GET
    @Path("get")
    public Uni<ProjectRunResponse> get(@QueryParam("run_id") String runId) {
        return runs.get(runId).map(ProjectRunResponse::new);
    }

    @GET
    @Path("list")
    public Uni<ListProjectRunsResponse> list(@QueryParam("experiment_id") String experimentId,
                                             @QueryParam("status") String status,
                                             @QueryParam("max_results") Integer maxResults,
                                             @QueryParam("page_token") String pageToken) {
        return runs.list(experimentId, status, maxResults, pageToken)
                .map(page -> new ListProjectRunsResponse(page.runs(), page.nextPageToken()));
    }

    @POST
    @Path("cancel")
    public Uni<ProjectRunResponse> cancel(CancelProjectRun request) {
        return runs.cancel(Requests.body(request).runId()).map(ProjectRunResponse::new);
    }
}
