package io.quarkflow.mlflow;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.Requests;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Failures that reach the router instead of an endpoint's own error mapping ({@link ErrorMapper}): a request the
 * router refuses (no or a malformed Host header), or a plain Vert.x route that fails. They are MLflow's error JSON
 * too, a client's mistake logged at DEBUG and a service's own failure at ERROR with its stack trace, instead of
 * Quarkus's {"details": "Error id ..."}.
 */
@Singleton
public class FrameworkErrors {

    private static final Logger LOG = Logger.getLogger(FrameworkErrors.class);

    private final String serviceName;

    FrameworkErrors(@ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.serviceName = serviceName;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        int status = context.statusCode() < 400 ? 500 : context.statusCode();
        Throwable failure = context.failure();
        if (context.response().headWritten()) {
            LOG.debugf(failure, "%s %s failed after its answer began", context.request().method(),
                    context.request().path());
            context.response().reset();
            return;
        }
        String message;
        if (status >= 500) {
            LOG.errorf(failure, "%s %s failed", context.request().method(), context.request().path());
            message = "Internal error in " + serviceName + "; its log says more.";
        } else {
            LOG.debugf("%s %s refused with %d: %s", context.request().method(), context.request().path(), status,
                    failure);
            message = Requests.refusedByFramework(status, failure);
        }
        answer(context, status, ErrorCode.forHttpStatus(status), message);
    }

    /** MLflow's error body, {"error_code": ..., "message": ...}, with the connection closed after it. */
    static void answer(RoutingContext context, int status, ErrorCode code, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("error_code", code.name()).put("message", message).encode());
    }
}
