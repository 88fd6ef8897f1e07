package io.quarkflow.outbox;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries a trace across the outbox, which the request that writes an event has left long before the relay publishes
 * it: the request's W3C traceparent is stored with the event, and the publish is a PRODUCER span in that trace whose
 * own traceparent goes out as a Kafka header, where the consumers' messaging instrumentation picks it up. With tracing
 * off (quarkus.otel.sdk.disabled) no request runs in a trace: nothing is stored, no span started, no header sent.
 */
@ApplicationScoped
public class EventTracing {

    private static final String TRACEPARENT = "traceparent";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceParent) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String traceParent, String key) {
            return TRACEPARENT.equals(key) ? traceParent : null;
        }
    };

    private final Tracer tracer;

    public EventTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.quarkflow.outbox");
    }

    /** The traceparent of the request being handled, or null outside a trace. */
    String current() {
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.current(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts the span of one event's publish, in the trace of the request that wrote it; none (an invalid span) for an
     * event written outside a trace.
     */
    Span publishing(OutboxEvent event) {
        if (event.traceParent() == null) {
            return Span.getInvalid();
        }
        Context parent = W3C.extract(Context.root(), event.traceParent(), STORED);
        return tracer.spanBuilder("publish " + event.topic())
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.destination.name", event.topic())
                .setAttribute("messaging.kafka.message.key", event.key())
                .startSpan();
    }

    /** The record headers that continue the trace from the publish span; none outside a trace. */
    List<Header> headers(Span publish) {
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.root().with(publish), carrier, Map::put);
        return carrier.entrySet().stream()
                .map(header -> (Header) new RecordHeader(header.getKey(),
                        header.getValue().getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    /** Ends the publish span once the broker answered. */
    static void published(Span publish, Exception failure) {
        if (failure != null) {
            publish.recordException(failure);
            publish.setStatus(StatusCode.ERROR);
        }
        publish.end();
    }
}
