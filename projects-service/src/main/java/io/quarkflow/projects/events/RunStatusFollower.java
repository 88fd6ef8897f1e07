package io.quarkflow.projects.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.projects.store.SubmissionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps each submission's status as tracking-service's run events tell it, so that project runs can be listed by
 * status. Events of one run arrive in order (they share a key); a redelivered one writes the same status again.
 */
@ApplicationScoped
public class RunStatusFollower {

    private static final Logger LOG = Logger.getLogger(RunStatusFollower.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final SubmissionRepository submissions;

    public RunStatusFollower(Pool pool, SubmissionRepository submissions) {
        this.pool = pool;
        this.submissions = submissions;
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
        if (!RunStatusChanged.TYPE.equals(event.path("type").asText())) {
            return Uni.createFrom().voidItem();
        }
        JsonNode data = event.path("data");
        return submissions.updateStatus(pool, data.path("run_id").asText(), data.path("new_status").asText());
    }
}
