package io.quarkflow.projects.domain;

import java.util.List;
import java.util.Map;

/** A workflow as the API answers for it: its state, and each step's project, parameters and run. */
public record Workflow(
        String workflowId,
        String name,
        String experimentId,
        String status,
        Map<String, String> parameters,
        String submittedBy,
        long submittedAt,
        Long endedAt,
        Long cancelRequestedAt,
        List<Step> steps) {

    /** @param parameters as resolved when it started; before, as the workflow declares them */
    public record Step(String name, String status, String runId, boolean reused, List<String> dependsOn, String uri,
                       String version, String entryPoint, String backend, Map<String, String> parameters,
                       String failureReason) {
    }

    public static Workflow of(WorkflowRun run) {
        WorkflowSpec spec = run.spec();
        List<Step> steps = run.steps().stream().map(state -> {
            WorkflowSpec.Step step = spec.step(state.name());
            return new Step(state.name(), state.status(), state.runId(), state.reused(), step.dependencies(),
                    spec.uriOf(step), spec.versionOf(step), step.entryPoint() == null ? "main" : step.entryPoint(),
                    spec.backendOf(step), state.parameters() != null ? state.parameters() : step.parameterTemplates(),
                    state.failureReason());
        }).toList();
        return new Workflow(run.workflowId(), spec.name(), run.experimentId(), run.status(), run.parameters(),
                run.submittedBy(), run.submittedAt(), run.endedAt(), run.cancelRequestedAt(), steps);
    }
}
