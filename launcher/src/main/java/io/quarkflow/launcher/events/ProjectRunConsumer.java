package io.quarkflow.launcher.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkflow.launcher.service.ProjectRunService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * Consumes quarkflow.project-runs (CloudEvents in structured mode, keyed by run id; channel {@code project-runs},
 * group {@code quarkflow-launcher}). A record is acknowledged once its request or cancel was carried out or found
 * carried out already: at least once (Kafka's throttled commits never move past a record still in progress). Up to
 * {@code quarkflow.launcher.concurrency} records are in progress at once, each run's in the order they arrived
 * ({@link RunQueues}), so a run's cancel is handled after its request. A record that is no CloudEvent, or of a type
 * this launcher does not handle, is skipped: it would never become readable by waiting.
 */
@ApplicationScoped
public class ProjectRunConsumer {

    private static final Logger LOG = Logger.getLogger(ProjectRunConsumer.class);
    private static final TypeReference<CloudEvent<JsonNode>> EVENT = new TypeReference<>() {
    };

    /** What a record asks for: the run it concerns and the work that carries it out. */
    private record Work(String runId, Supplier<Uni<Void>> action) {
    }

    private final ObjectMapper json;
    private final ProjectRunService service;
    private final RunQueues queues;

    public ProjectRunConsumer(ObjectMapper json, ProjectRunService service, LauncherConfig config) {
        this.json = json;
        this.service = service;
        this.queues = new RunQueues(config.concurrency());
    }

    /** Returns once the record's work has started: the next record is taken while it runs, if there is room. */
    @Incoming("project-runs")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> consume(Message<String> record) {
        Work work = work(record.getPayload());
        if (work == null) {
            return Uni.createFrom().completionStage(record.ack());
        }
        Supplier<Uni<Void>> action = RecordTrace.within(record, work.action()); // while on the record's context
        return Uni.createFrom().completionStage(queues::admit)
                .invoke(() -> queues.submit(work.runId(), action).whenComplete((ignored, failure) -> {
                    if (failure == null) {
                        record.ack();
                    } else {
                        record.nack(failure); // the channel's failure strategy: it stops, the pod is restarted
                    }
                }));
    }

    /** Null for a record to skip. */
    private Work work(String value) {
        CloudEvent<JsonNode> event;
        try {
            event = json.readValue(value, EVENT);
        } catch (JsonProcessingException e) {
            LOG.warnf("Skipping a record of quarkflow.project-runs that is no CloudEvent: %s", e.getOriginalMessage());
            return null;
        }
        if (ProjectRunRequest.TYPE.equals(event.type())) {
            ProjectRunRequest request = data(event, ProjectRunRequest.class);
            return request == null ? null : new Work(request.runId(), () -> service.launch(request));
        }
        if (ProjectRunCancel.TYPE.equals(event.type())) {
            ProjectRunCancel cancel = data(event, ProjectRunCancel.class);
            return cancel == null ? null : new Work(cancel.runId(), () -> service.cancel(cancel));
        }
        LOG.debugf("Skipping event %s of type %s", event.id(), event.type());
        return null;
    }

    private <T> T data(CloudEvent<JsonNode> event, Class<T> type) {
        try {
            return json.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("Skipping event %s: its data is no %s: %s", event.id(), type.getSimpleName(), e.getMessage());
            return null;
        }
    }
}
