package io.quarkflow.projects.domain;

import java.util.Map;

/**
 * A project run as projects-service answers for it: the submission, with the run's status and where it executes.
 *
 * @param status        tracking-service's run status (for a listing, the copy the run events keep)
 * @param job           {@code <namespace>/<name>} of its Kubernetes Job, once the launcher created it
 * @param process       the local process's id, once the launcher started it
 * @param failureReason why it failed, as the launcher saw it
 */
public record ProjectRun(
        String runId,
        String experimentId,
        String status,
        String projectUri,
        String version,
        String gitCommit,
        String entryPoint,
        Map<String, String> parameters,
        String backend,
        Map<String, Object> backendConfig,
        String command,
        String submittedBy,
        long submittedAt,
        Long cancelRequestedAt,
        String job,
        String process,
        String failureReason) {

    /** The submission as the launcher has not touched it yet (or as a listing shows it): no Job, no process. */
    public static ProjectRun of(Submission s, String status) {
        return of(s, status, null, null, null);
    }

    public static ProjectRun of(Submission s, String status, String job, String process, String failureReason) {
        return new ProjectRun(s.runId(), s.experimentId(), status, s.projectUri(), s.version(), s.gitCommit(),
                s.entryPoint(), s.parameters(), s.backend(), s.backendConfig(), s.command(), s.submittedBy(),
                s.submittedAt(), s.cancelRequestedAt(), job, process, failureReason);
    }
}
