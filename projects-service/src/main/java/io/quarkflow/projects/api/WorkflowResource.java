package io.quarkflow.projects.api;

import io.quarkflow.mlflow.errors.Requests;
import io.quarkflow.projects.domain.SubmitWorkflow;
import io.quarkflow.projects.domain.Workflow;
import io.quarkflow.projects.service.WorkflowService;
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
 * Quarkflow's workflow API, under /api/2.0/quarkflow/workflows (routed by the gateway like the project-run API):
 * submit a workflow of project runs, read one or a page of them, cancel one. A workflow's id is its parent run's.
 */
@Path("/api/2.0/quarkflow/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    public record WorkflowResponse(Workflow workflow) {
    }

    public record ListWorkflowsResponse(List<Workflow> workflows, String nextPageToken) {
    }

    public record CancelWorkflow(String workflowId) {
    }

    private final WorkflowService workflows;

    public WorkflowResource(WorkflowService workflows) {
        this.workflows = workflows;
    }

    @POST
    @Path("submit")
    public Uni<WorkflowResponse> submit(SubmitWorkflow request,
                                        @HeaderParam(ProjectRunResource.USER_HEADER) String user) {
        return workflows.submit(Requests.body(request), user == null ? "" : user).map(WorkflowResponse::new);
    }

    @GET
    @Path("get")
    public Uni<WorkflowResponse> get(@QueryParam("workflow_id") String workflowId) {
        return workflows.get(workflowId).map(WorkflowResponse::new);
    }

    @GET
    @Path("list")
    public Uni<ListWorkflowsResponse> list(@QueryParam("experiment_id") String experimentId,
                                           @QueryParam("status") String status,
                                           @QueryParam("max_results") Integer maxResults,
                                           @QueryParam("page_token") String pageToken) {
        return workflows.list(experimentId, status, maxResults, pageToken)
                .map(page -> new ListWorkflowsResponse(page.workflows(), page.nextPageToken()));
    }

    @POST
    @Path("cancel")
    public Uni<WorkflowResponse> cancel(CancelWorkflow request) {
        return workflows.cancel(Requests.body(request).workflowId()).map(WorkflowResponse::new);
    }
}
