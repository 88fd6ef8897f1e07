package io.quarkflow.mlflow;

import io.quarkflow.internal.key.InternalKey;
import io.quarkflow.internal.key.ServiceHosts;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A service answers only the suite: every request must carry the {@link InternalKey} (401 otherwise) and name one of
 * the service's own hosts ({@link ServiceHosts}, 403 otherwise), before anything else reads it. Only what probes and
 * monitoring read answers anyone: the health probes ({@code /health}, {@code /q/health...}), which say nothing but up
 * or down, the Prometheus metrics ({@code /q/metrics}: counts and timings, which a scraper fetches by pod address) and
 * the OpenAPI document ({@code /q/openapi}: the API's shape, as public as MLflow's own).
 * <p>
 * A production start without a key fails: a service that answered anyone would make the gateway's authentication
 * decorative. In dev and test mode without a key the Host check still applies and the key check does not, so a
 * service's own tests can call it directly.
 */
@Singleton
public class InternalCallersOnly {

    private static final Logger LOG = Logger.getLogger(InternalCallersOnly.class);
    /** Before Quarkus's own filters and every route: nothing of a refused request is read. */
    private static final int PRIORITY = 100_000;

    private final Optional<InternalKey> key;
    private final ServiceHosts hosts;
    private final String serviceName;

    InternalCallersOnly(@ConfigProperty(name = InternalKey.PROPERTY) Optional<String> key,
                        @ConfigProperty(name = ServiceHosts.PROPERTY) Optional<List<String>> hosts,
                        @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.key = InternalKey.of(key);
        this.hosts = hosts.map(ServiceHosts::of).orElseGet(() -> ServiceHosts.defaultsFor(serviceName));
        this.serviceName = serviceName;
        if (this.key.isEmpty() && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException(InternalKey.PROPERTY + " (QUARKFLOW_INTERNAL_KEY) is not set: "
                    + serviceName + " answers only callers that send the suite's internal key, and the gateway needs the same key."
                    + " ./quarkflow start sets it; on Kubernetes it comes from the Secret quarkflow-internal-key.");
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (isForAnyone(request.path())) {
            context.next();
            return;
        }
        String host = request.authority() == null ? null : request.authority().host();
        if (!hosts.allows(host)) {
            refuse(context, ErrorCode.PERMISSION_DENIED, "Invalid Host header: " + serviceName
                    + " answers only its own names (" + ServiceHosts.PROPERTY + ").");
            return;
        }
        if (key.isPresent() && !key.get().isIn(request.getHeader(InternalKey.HEADER))) {
            LOG.debugf("Refused %s %s from %s without the internal key", request.method(), request.path(),
                    request.remoteAddress());
            refuse(context, ErrorCode.UNAUTHENTICATED, serviceName
                    + " answers only the Quarkflow gateway; send your request to the gateway's address.");
            return;
        }
        context.next();
    }

    private static boolean isForAnyone(String path) {
        return "/health".equals(path) || "/q/health".equals(path) || path != null && path.startsWith("/q/health/")
                || "/q/metrics".equals(path) || "/q/openapi".equals(path);
    }

    /** MLflow's error JSON; the connection is closed, since the body, if any, is left unread. */
    private static void refuse(RoutingContext context, ErrorCode code, String message) {
        FrameworkErrors.answer(context, code.httpStatus(), code, message);
    }
}
