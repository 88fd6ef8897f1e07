package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.Requests;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * A request that fails in the router before the gateway's own route sees it (a missing or malformed Host header, a
 * path that does not start with '/') is answered in MLflow's error JSON too, and logged as the client's mistake rather
 * than at ERROR with a stack trace; a failure of the gateway itself is INTERNAL_ERROR, logged with its stack trace.
 * (Requests that are not HTTP at all, such as an unparsable request line or Content-Length, or a request line or headers
 * over the limits, are refused by Vert.x before any router: 400, 414 or 431 with no body and the connection closed.)
 */
@Singleton
public class FrameworkErrors {

    private static final Logger LOG = Logger.getLogger(FrameworkErrors.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(FrameworkErrors::answer);
    }

    private static void answer(RoutingContext context) {
        int status = context.statusCode() < 400 ? 500 : context.statusCode();
        Throwable failure = context.failure();
        if (context.response().headWritten()) {
            LOG.debugf(failure, "%s %s failed after its answer began", context.request().method(),
                    context.request().path());
            context.response().reset();
            return;
        }
        ErrorCode code = ErrorCode.forHttpStatus(status);
        String message;
        if (status >= 500) {
            LOG.errorf(failure, "%s %s failed", context.request().method(), context.request().path());
            message = "Internal error in the gateway (request "
                    + context.response().headers().get(GatewayHeaders.REQUEST_ID) + "); its log says more.";
        } else {
            LOG.debugf("%s %s refused with %d: %s", context.request().method(), context.request().path(), status, failure);
            message = Requests.refusedByFramework(status, failure);
        }
        LocalAnswer.error(context.request(), status, code, message);
    }
}
