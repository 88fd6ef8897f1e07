package io.quarkflow.artifact.api;

import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Validates the raw request path before routing. The HTTP layer resolves "/../" and "%2e%2e" in a URL before
 * JAX-RS sees it, so {@code artifacts/a/../../x} would otherwise reach another route, or a different artifact,
 * instead of being refused. Every path this service serves is a safe path under the same rules as artifacts.
 */
public class RawPathFilter {

    @ServerRequestFilter(preMatching = true)
    public void rejectUnsafePaths(HttpServerRequest request) {
        String raw = request.path();
        ArtifactPathValidator.validate(raw.startsWith("/") ? raw.substring(1) : raw);
    }
}
