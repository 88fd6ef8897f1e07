package io.quarkflow.tracking.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Test-only: a DEBUG line as each answer leaves, after the request's asynchronous steps (PostgreSQL, worker threads),
 * so that a test can see which MDC a log line of the request gets. Silent unless a test lowers its level.
 */
@Provider
public class RequestIdProbe implements ContainerResponseFilter {

    static final String CATEGORY = RequestIdProbe.class.getName();
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        LOG.debugf("answered %s %d", request.getUriInfo().getPath(), response.getStatus());
    }
}
