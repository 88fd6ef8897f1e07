package io.quarkflow.launcher.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.service.ProjectRunService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes quarkflow.project-runs (CloudEvents in structured mode, keyed by run id; channel {@code project-runs},
 * group {@code quarkflow-launcher}). A record is acknowledged when the Uni completes, that is after its request or
 * cancel was carried out or found carried out already: at least once. Messages are handled one at a time, so a
 * run's cancel is handled after its request. A record that is no CloudEvent, or of a type this launcher does not
 * handle, is skipped: it would never become readable by waiting.
 */
@ApplicationScoped
public class ProjectRunConsumer {

    private static final Logger LOG = Logger.getLogger(ProjectRunConsumer.class);
    private static final TypeReference<CloudEvent<JsonNode>> EVENT = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final ProjectRunService service;

    public ProjectRunConsumer(ObjectMapper json, ProjectRunService service) {
        this.json = json;
        this.service = service;
    }

    @Incoming("project-runs")
    public Uni<Void> consume(String value) {
        CloudEvent<JsonNode> event;
        try {
            event = json.readValue(value, EVENT);
        } catch (JsonProcessingException e) {
            LOG.warnf("Skipping a record of quarkflow.project-runs that is no CloudEvent: %s", e.getOriginalMessage());
            return Uni.createFrom().voidItem();
        }
        if (ProjectRunRequest.TYPE.equals(event.type())) {
            ProjectRunRequest request = data(event, ProjectRunRequest.class);
            return request == null ? Uni.createFrom().voidItem() : service.launch(request);
        }
        if (ProjectRunCancel.TYPE.equals(event.type())) {
            ProjectRunCancel cancel = data(event, ProjectRunCancel.class);
            return cancel == null ? Uni.createFrom().voidItem() : service.cancel(cancel);
        }
        LOG.debugf("Skipping event %s of type %s", event.id(), event.type());
        return Uni.createFrom().voidItem();
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
