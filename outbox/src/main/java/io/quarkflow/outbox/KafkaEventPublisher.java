package io.quarkflow.outbox;

import io.opentelemetry.api.trace.Span;
import io.quarkflow.events.CloudEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends events to Kafka and completes once the broker acknowledged every one. The producer is idempotent with
 * acks=all, so its own retries (say, across a broker restart) neither duplicate nor reorder a partition's records.
 * Each send continues the trace of the request that wrote the event ({@link EventTracing}).
 */
@ApplicationScoped
public class KafkaEventPublisher {

    /** Structured-mode CloudEvents: the record value is the whole event. */
    private static final Header CONTENT_TYPE = new RecordHeader("content-type",
            CloudEvent.CONTENT_TYPE_HEADER_VALUE.getBytes(StandardCharsets.UTF_8));

    private final Map<String, Object> config;
    private final EventTracing tracing;
    private KafkaProducer<String, String> producer;

    /** Takes the {@code kafka.*} properties, so TLS and SASL settings apply as for any Quarkus Kafka client. */
    public KafkaEventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                               EventTracing tracing) {
        this.tracing = tracing;
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG); // Quarkus adds one for consumers
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0); // the relay batches already
        // Bound one relay pass while the broker is away; the relay retries the whole batch after that.
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producerConfig.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        producerConfig.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        this.config = producerConfig;
    }

    /** Sends in list order and waits for all acks; fails if any record failed. */
    public Uni<Void> publish(List<OutboxEvent> events) {
        // send() blocks while the broker's metadata is unknown, so it runs on a worker, never on the event loop;
        // completion moves off the producer's network thread too.
        return Uni.createFrom().completionStage(() -> send(events))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    private CompletableFuture<Void> send(List<OutboxEvent> events) {
        KafkaProducer<String, String> kafka = producer();
        List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            Span publish = tracing.publishing(event);
            List<Header> headers = new ArrayList<>(2);
            headers.add(CONTENT_TYPE);
            headers.addAll(tracing.headers(publish));
            ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), null, event.key(), event.json(),
                    headers);
            kafka.send(record, (metadata, error) -> {
                EventTracing.published(publish, error);
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
            if (ack.isCompletedExceptionally()) {
                break; // the broker is unreachable: the rest would each block for max.block.ms
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** Created on first use: the service starts, and queues events in the outbox, while Kafka is unreachable. */
    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
