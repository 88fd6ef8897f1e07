package io.quarkflow.projects.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.events.RunTerminated;
import io.quarkflow.projects.domain.WorkflowPlan;
import io.quarkflow.projects.store.SubmissionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps each submission's and workflow step's status as tracking-service's run events tell it, so that project runs
 * can be listed by status, and moves a workflow on when a step's run.terminated event arrives. Events of one run
 * arrive in order (they share a key); a redelivered one writes the same status again and starts nothing twice. A
 * failure (PostgreSQL away) is retried, holding the events behind it back, rather than skipped.
 */
@ApplicationScoped
public class RunStatusFollower {

    private static final Logger LOG = Logger.getLogger(RunStatusFollower.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final SubmissionRepository submissions;
    private final WorkflowEngine workflows;

    public RunStatusFollower(Pool pool, SubmissionRepository submissions, WorkflowEngine workflows) {
        this.pool = pool;
        this.submissions = submissions;
        this.workflows = workflows;
    }

    @Incoming("run-events")
    public Uni<Void> follow(String cloudEvent) {
        JsonNode event;
        try {
            event = JSON.readTree(cloudEvent);
        } catch (Exception e) {
            LOG.warnf("Skipping a run event that is not JSON: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String type = event.path("type").asText();
        JsonNode data = event.path("data");
        String runId = data.path("run_id").asText();
        Uni<Void> followed;
        if (RunStatusChanged.TYPE.equals(type)) {
            String status = data.path("new_status").asText();
            followed = submissions.updateStatus(pool, runId, status)
                    .chain(() -> WorkflowPlan.ended(status) ? Uni.createFrom().voidItem() // run.terminated's
                            : workflows.runStatus(runId, status));
        } else if (RunTerminated.TYPE.equals(type)) {
            followed = workflows.runStatus(runId, data.path("status").asText());
        } else {
            return Uni.createFrom().voidItem();
        }
        return followed.onFailure().invoke(e -> LOG.warnf("Following run %s (%s), retrying: %s", runId, type,
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
