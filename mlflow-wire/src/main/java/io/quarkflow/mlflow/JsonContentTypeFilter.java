package io.quarkflow.mlflow;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * MLflow accepts POST bodies only as application/json; refusing other types also closes the text/plain
 * cross-site request forgery (CVE-2023-43472).
 */
public class JsonContentTypeFilter {

    @ServerRequestFilter(preMatching = true)
    public void requireJson(ContainerRequestContext request) {
        if (!request.getMethod().equals("POST")) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null) {
            throw MlflowException.invalidParameter("Bad Request. Content-Type header is missing.");
        }
        if (!type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.isWildcardType() || type.isWildcardSubtype()) {
            throw MlflowException.invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
        }
    }
}
