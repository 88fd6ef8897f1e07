package io.quarkflow.projects.api;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.projects.domain.ProjectRun;
import io.quarkflow.projects.domain.SubmitProjectRun;
import io.quarkflow.projects.domain.SubmitWorkflow;
import io.quarkflow.projects.domain.Workflow;
import io.quarkflow.projects.domain.WorkflowSpec;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Records Jackson reads or writes by reflection, for native images: the API's, the events' (Outbox writes them)
 * and the workflow specs stored as JSON.
 */
@RegisterForReflection(targets = {SubmitProjectRun.class, ProjectRun.class, CloudEvent.class,
        ProjectRunRequest.class, ProjectRunRequest.Source.class, ProjectRunRequest.Environment.class,
        ProjectRunCancel.class, SubmitWorkflow.class, WorkflowSpec.class, WorkflowSpec.Step.class, Workflow.class,
        Workflow.Step.class, ProjectRunResource.ProjectRunResponse.class,
        ProjectRunResource.ListProjectRunsResponse.class, ProjectRunResource.CancelProjectRun.class,
        WorkflowResource.WorkflowResponse.class, WorkflowResource.ListWorkflowsResponse.class,
        WorkflowResource.CancelWorkflow.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
