package io.quarkflow.outbox;

/**
 * An event as it goes to Kafka: the JSON value of a record on a topic, with its key.
 *
 * @param traceParent the W3C traceparent of the request that wrote the event, or null when tracing is off
 */
public record OutboxEvent(String topic, String key, String json, String traceParent) {
}
