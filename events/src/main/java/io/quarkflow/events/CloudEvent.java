package io.quarkflow.events;

/**
 * A CloudEvents 1.0 event in its JSON format, which is also the Kafka record value (structured content mode).
 * Delivery is at least once: a consumer may see the same event again and must deduplicate by {@code id}.
 *
 * @param specversion     always {@value #SPEC_VERSION}
 * @param type            what happened, e.g. {@value RunCreated#TYPE}; it tells which record {@code data} holds
 * @param source          the producing service, e.g. {@code /quarkflow/tracking-service}
 * @param id              unique per event; the same id means the same event delivered again
 * @param time            when the change was made, RFC 3339 in UTC
 * @param subject         the run id (the Kafka record key), or for a logged model's events the model id, or for
 *                        the registry's the registered model name (the record key there too)
 * @param datacontenttype always {@value #DATA_CONTENT_TYPE}
 * @param data            the payload record
 */
public record CloudEvent<T>(
        String specversion,
        String type,
        String source,
        String id,
        String time,
        String subject,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** The {@code content-type} Kafka header of a structured-mode CloudEvent. */
    public static final String CONTENT_TYPE_HEADER_VALUE = "application/cloudevents+json; charset=UTF-8";
}
