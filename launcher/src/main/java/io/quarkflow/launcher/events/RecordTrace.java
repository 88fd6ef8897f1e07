package io.quarkflow.launcher.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Carries out a record's work in the record's trace: the consumer span SmallRye made from the record's traceparent
 * (projects-service's publish of the request), so that what the launcher does for the run (its calls to
 * tracking-service) joins the trace that began with the submission. The work runs on a Vert.x context of its own,
 * which holds the trace for as long as the work goes on and is dropped with it. A record without a trace (tracing
 * off) gets its work as it is.
 */
final class RecordTrace {

    private RecordTrace() {
    }

    static Supplier<Uni<Void>> within(Message<?> record, Supplier<Uni<Void>> work) {
        Optional<Context> trace = TracingMetadata.fromMessage(record)
                .map(TracingMetadata::getCurrentContext)
                .filter(context -> Span.fromContext(context).getSpanContext().isValid());
        io.vertx.core.Context origin = Vertx.currentContext();
        if (trace.isEmpty() || origin == null) {
            return work;
        }
        return () -> Uni.createFrom().emitter(emitter -> VertxContext.createNewDuplicatedContext(origin)
                .runOnContext(ignored -> {
                    trace.get().makeCurrent(); // not closed: the context that holds it ends with the work
                    try {
                        work.get().subscribe().with(emitter::complete, emitter::fail);
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                }));
    }
}
