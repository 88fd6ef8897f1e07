package io.quarkflow.outbox;

/** An event as it goes to Kafka: the JSON value of a record on a topic, with its key. */
public record OutboxEvent(String topic, String key, String json) {
}
