package io.quarkflow.mlflow;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.MDC;

/**
 * Every REST client call a service makes while handling a request carries that request's id ({@link RequestIds}),
 * so that the called service's log lines name the same exchange (a project submission's calls to tracking-service,
 * say). A {@code @Provider} applies to every REST client of the service.
 */
@Provider
public class RequestIdForwarding implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext request) {
        Object id = MDC.get(RequestIds.MDC_KEY);
        if (id != null && !request.getHeaders().containsKey(RequestIds.HEADER)) {
            request.getHeaders().putSingle(RequestIds.HEADER, id.toString());
        }
    }
}
