package io.quarkflow.projects.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A submitted workflow and its steps' state. Its id is its parent run's.
 *
 * @param parameters the workflow's parameters: defaults with the submission's values
 * @param status     RUNNING, then FINISHED, FAILED or KILLED
 */
public record WorkflowRun(
        String workflowId,
        String experimentId,
        WorkflowSpec spec,
        Map<String, String> parameters,
        String status,
        String submittedBy,
        long submittedAt,
        Long endedAt,
        Long cancelRequestedAt,
        List<StepRun> steps) {

    /**
     * One step's state.
     *
     * @param status     PENDING, STARTING, then its run's status (SCHEDULED, RUNNING, FINISHED, FAILED, KILLED), or
     *                   SKIPPED
     * @param runId      once started; an earlier run when {@code reused}
     * @param parameters as resolved when it started; null before
     * @param claimedAt  when it became STARTING (epoch milliseconds)
     */
    public record StepRun(String name, String status, String runId, boolean reused, Map<String, String> parameters,
                          String failureReason, Long claimedAt) {
    }

    public Map<String, String> statuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        steps.forEach(step -> statuses.put(step.name(), step.status()));
        return statuses;
    }

    public StepRun step(String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst().orElseThrow();
    }

    public boolean cancelling() {
        return cancelRequestedAt != null;
    }
}
