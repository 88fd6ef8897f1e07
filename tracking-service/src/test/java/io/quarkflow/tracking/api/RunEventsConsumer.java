package io.quarkflow.tracking.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads quarkflow.run-events (or another topic: the registry's) from the moment it is opened, with a plain Kafka
 * consumer as a workflow engine would.
 */
final class RunEventsConsumer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final TypeReference<CloudEvent<JsonNode>> EVENT = new TypeReference<>() {
    };

    /**
     * One record as received: its key, its content-type and traceparent headers (null when absent) and the CloudEvent
     * that is its value.
     */
    record Received(String key, String contentType, String traceParent, CloudEvent<JsonNode> event) {

        String type() {
            return event.type();
        }

        <T> T data(Class<T> type) {
            return JSON.convertValue(event.data(), type);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    RunEventsConsumer() {
        this(Topics.RUN_EVENTS);
    }

    RunEventsConsumer(String topic) {
        // The test broker creates topics with one partition, so everything arrives in publishing order.
        TopicPartition partition = new TopicPartition(topic, 0);
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition, Duration.ofSeconds(30)); // fixes the start before the test changes anything
    }

    static Predicate<Received> about(Set<String> runIds) {
        return received -> runIds.contains(received.event().subject());
    }

    /**
     * Polls until events with {@code distinctIds} different CloudEvents ids match; returns every matching record
     * received so far, redeliveries included, in arrival order.
     */
    List<Received> await(Predicate<Received> filter, int distinctIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> matching = received.stream().filter(filter).toList();
            long distinct = matching.stream().map(r -> r.event().id()).distinct().count();
            if (distinct >= distinctIds) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                fail("Expected " + distinctIds + " events within " + timeout + ", got " + distinct + ": "
                        + matching.stream().map(Received::type).toList());
            }
            poll();
        }
    }

    /** Everything received so far that matches. */
    List<Received> received(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    /** Keeps receiving for a while; returns everything received so far that matches. */
    List<Received> receiveFor(Duration duration, Predicate<Received> filter) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
        }
        return received(filter);
    }

    private void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            try {
                received.add(new Received(record.key(), header(record, "content-type"), header(record, "traceparent"),
                        JSON.readValue(record.value(), EVENT)));
            } catch (JsonProcessingException e) {
                fail("Not a CloudEvent: " + record.value(), e);
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
