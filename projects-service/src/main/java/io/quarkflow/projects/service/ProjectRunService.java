package io.quarkflow.projects.service;

import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunTags;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.projects.domain.PagePosition;
import io.quarkflow.projects.domain.ProjectRun;
import io.quarkflow.projects.domain.Submission;
import io.quarkflow.projects.domain.SubmissionRules;
import io.quarkflow.projects.events.ProjectRunEvents;
import io.quarkflow.projects.store.SubmissionRepository;
import io.quarkflow.tracking.client.TrackingClient;
import io.quarkflow.tracking.client.TrackingMessages.Run;
import io.quarkflow.tracking.client.TrackingMessages.RunTag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and cancels project runs. The status of one run is tracking-service's, asked for each time. */
@ApplicationScoped
public class ProjectRunService {

    /** One page of a listing; {@code nextPageToken} is null on the last. */
    public record Page(List<ProjectRun> runs, String nextPageToken) {
    }


    private final Pool pool;
    private final SubmissionRepository submissions;
    private final ProjectRunEvents events;
    private final TrackingClient tracking;

    public ProjectRunService(Pool pool, SubmissionRepository submissions, ProjectRunEvents events,
                             @RestClient TrackingClient tracking) {
        this.pool = pool;
        this.submissions = submissions;
        this.events = events;
        this.tracking = tracking;
    }

    public Uni<ProjectRun> get(String runId) {
        return submission(runId).chain(this::withRunState);
    }

    /** Newest first, optionally of one experiment and in one status (the copy the run events keep). */
    public Uni<Page> list(String experimentId, String status, Integer maxResults, String pageToken) {
        int limit = PagePosition.pageSize(maxResults);
        return submissions.list(pool, experimentId, status, PagePosition.of(pageToken), limit + 1).map(found -> {
            boolean more = found.size() > limit;
            List<Submission> page = more ? found.subList(0, limit) : found;
            Submission last = page.isEmpty() ? null : page.get(page.size() - 1);
            return new Page(page.stream().map(s -> ProjectRun.of(s, s.status())).toList(),
                    more ? new PagePosition(last.submittedAt(), last.runId()).token() : null);
        });
    }

    /**
     * Asks the launcher to stop the run: the request and the mark commit together, once; a run already ended, or
     * already being cancelled, is answered as it is.
     */
    public Uni<ProjectRun> cancel(String runId) {
        return submission(runId).chain(submission -> tracking.getRun(runId).chain(found -> {
            Run run = found.run();
            if (SubmissionRules.TERMINAL.contains(run.info().status())) {
                return Uni.createFrom().item(projectRun(submission, run));
            }
            long now = System.currentTimeMillis();
            return pool.withTransaction(conn -> submissions.requestCancel(conn, runId, now)
                            .call(first -> first ? events.cancelled(conn, new ProjectRunCancel(runId,
                                    submission.backend(), submission.backendConfig())) : Uni.createFrom().voidItem()))
                    .chain(() -> submissions.find(pool, runId))
                    .map(cancelled -> projectRun(cancelled, run)); // the launcher has yet to act: same status
        }));
    }

    /** Fails with MLflow's 404 unless the run is a project run submitted here; reads nothing else. */
    public Uni<Void> requireKnown(String runId) {
        return submission(runId).replaceWithVoid();
    }

    private Uni<Submission> submission(String runId) {
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.missing("run_id");
        }
        return submissions.find(pool, runId).map(found -> {
            if (found == null) {
                throw MlflowException.notFound("Project run with id '" + runId + "' not found.");
            }
            return found;
        });
    }

    private Uni<ProjectRun> withRunState(Submission submission) {
        return tracking.getRun(submission.runId()).map(found -> projectRun(submission, found.run()));
    }

    private static ProjectRun projectRun(Submission submission, Run run) {
        Map<String, String> tags = new HashMap<>();
        if (run.data() != null && run.data().tags() != null) {
            for (RunTag tag : run.data().tags()) {
                tags.put(tag.key(), tag.value());
            }
        }
        return ProjectRun.of(submission, run.info().status(), tags.get(ProjectRunTags.JOB),
                tags.get(ProjectRunTags.PROCESS), tags.get(ProjectRunTags.FAILURE));
    }
}
