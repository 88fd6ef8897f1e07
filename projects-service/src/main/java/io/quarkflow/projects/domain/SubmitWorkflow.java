package io.quarkflow.projects.domain;

import java.util.Map;

/**
 * A workflow submission: the workflow, where its runs go, and values for its parameters.
 *
 * @param runName the parent run's name; null for the workflow's name
 */
public record SubmitWorkflow(
        WorkflowSpec workflow,
        String experimentId,
        String experimentName,
        String runName,
        Map<String, String> parameters) {
}
