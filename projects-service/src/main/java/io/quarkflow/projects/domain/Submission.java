package io.quarkflow.projects.domain;

import java.util.Map;

/**
 * A project run as submitted: what ran, where and for whom. The run's status and data are tracking-service's;
 * {@code status} is the copy the run events keep current.
 *
 * @param version           as the user gave it (a branch, tag or commit); null for the default branch
 * @param gitCommit         what the source resolved to; null for a local directory that is no Git repository
 * @param parameters        the user's parameters as given
 * @param command           the resolved command line the launcher runs
 * @param submittedAt       epoch milliseconds
 * @param cancelRequestedAt epoch milliseconds; null while nobody asked to cancel
 * @param archiveSha256     the content digest of a project archive; null for Git and directories
 */
public record Submission(
        String runId,
        String experimentId,
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
        String status,
        Long cancelRequestedAt,
        String archiveSha256) {
}
