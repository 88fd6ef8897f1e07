package io.quarkflow.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/** Publishes project-run events to quarkflow.project-runs as projects-service does: CloudEvents keyed by run id. */
public final class ProjectRuns implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, String> producer;

    public ProjectRuns() {
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringSerializer(), new StringSerializer());
    }

    public static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    public static ProjectRunRequest request(String runId, String backend, ProjectRunRequest.Source source,
                                            String command, ProjectRunRequest.Environment environment,
                                            Map<String, Object> backendConfig) {
        return new ProjectRunRequest(runId, "1", "My Project", source, "main", command, Map.of("FROM_REQUEST", "yes"),
                environment, backend, backendConfig, "alice");
    }

    public static ProjectRunRequest.Source git(String uri, String commit) {
        return new ProjectRunRequest.Source("git", uri, commit, "");
    }

    public static ProjectRunRequest.Environment docker(String image) {
        return new ProjectRunRequest.Environment("docker", image, List.of(), Map.of(), null);
    }

    public void send(ProjectRunRequest request) {
        send(request.runId(), ProjectRunRequest.TYPE, request, null);
    }

    /** As projects-service's outbox sends a request written in a trace: with that trace's W3C traceparent header. */
    public void send(ProjectRunRequest request, String traceParent) {
        send(request.runId(), ProjectRunRequest.TYPE, request, traceParent);
    }

    public void cancel(String runId, String backend) {
        send(runId, ProjectRunCancel.TYPE, new ProjectRunCancel(runId, backend, Map.of()), null);
    }

    /** Any record, e.g. of an unknown type or no CloudEvent at all. */
    public void sendRaw(String key, String value) {
        sendRaw(key, value, List.of());
    }

    private void sendRaw(String key, String value, List<Header> headers) {
        try {
            producer.send(new ProducerRecord<>(Topics.PROJECT_RUNS, null, key, value, headers)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String runId, String type, Object data, String traceParent) {
        CloudEvent<Object> event = new CloudEvent<>(CloudEvent.SPEC_VERSION, type, "/quarkflow/projects-service",
                UUID.randomUUID().toString(), Instant.now().toString(), runId, CloudEvent.DATA_CONTENT_TYPE, data);
        List<Header> headers = traceParent == null ? List.of()
                : List.of(new RecordHeader("traceparent", traceParent.getBytes(StandardCharsets.UTF_8)));
        try {
            sendRaw(runId, JSON.writeValueAsString(event), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
