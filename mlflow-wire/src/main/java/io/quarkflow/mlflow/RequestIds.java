package io.quarkflow.mlflow;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The request id the gateway gives every exchange (X-Request-Id) goes into the MDC ({@value #MDC_KEY}), so that each
 * log line a request causes in a service names it, as the gateway's access log and the client's answer do. Quarkus
 * keeps the MDC in the request's own Vert.x context: it follows the request onto worker threads and ends with it. The
 * id travels on with the calls a service makes while it handles the request ({@link RequestIdForwarding}).
 */
@Singleton
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The gateway's own rule: a short id that is harmless in a log line; anything else is not logged. */
    private static final Pattern HARMLESS = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Before {@link InternalCallersOnly}, so that a refused request's log line names it too. */
    private static final int PRIORITY = 100_001;

    void register(@Observes Filters filters) {
        filters.register(RequestIds::remember, PRIORITY);
    }

    private static void remember(RoutingContext context) {
        String id = context.request().getHeader(HEADER);
        if (id != null && HARMLESS.matcher(id).matches()) {
            MDC.put(MDC_KEY, id);
        } else {
            MDC.remove(MDC_KEY);
        }
        context.next();
    }
}
