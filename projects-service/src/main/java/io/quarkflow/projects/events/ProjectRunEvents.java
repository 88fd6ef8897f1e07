package io.quarkflow.projects.events;

import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.events.Topics;
import io.quarkflow.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * Writes the launcher's requests to the outbox in the caller's transaction, the one that records the submission
 * or its cancel: a request is published only if that change commits, and nothing committed is lost while Kafka is
 * down. Both are keyed by the run id, so the launcher sees a run's cancel after its request.
 */
@ApplicationScoped
public class ProjectRunEvents {

    private final Outbox outbox;

    public ProjectRunEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> requested(SqlClient client, ProjectRunRequest request) {
        return outbox.append(client, List.of(outbox.event(Topics.PROJECT_RUNS, request.runId(), request.runId(),
                ProjectRunRequest.TYPE, Instant.now(), request)));
    }

    public Uni<Void> cancelled(SqlClient client, ProjectRunCancel cancel) {
        return outbox.append(client, List.of(outbox.event(Topics.PROJECT_RUNS, cancel.runId(), cancel.runId(),
                ProjectRunCancel.TYPE, Instant.now(), cancel)));
    }
}
