package io.quarkflow.mlflow;

import io.quarkflow.mlflow.errors.JsonOnly;
import io.quarkflow.mlflow.errors.MlflowException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** MLflow's JSON-only rule for POST bodies ({@link JsonOnly}) on every JAX-RS service, and no NUL in a query. */
public class JsonContentTypeFilter {

    @ServerRequestFilter(preMatching = true)
    public void requireJson(ContainerRequestContext request) {
        String problem = JsonOnly.problem(request.getMethod(), request.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (problem != null) {
            throw MlflowException.invalidParameter(problem);
        }
        // As in JSON bodies (NumberAsTextFields): PostgreSQL stores no NUL in text.
        request.getUriInfo().getQueryParameters().forEach((name, values) -> {
            if (name.indexOf('\u0000') >= 0 || values.stream().anyMatch(value -> value.indexOf('\u0000') >= 0)) {
                throw MlflowException.invalidParameter("Invalid value for parameter '" + name.replace('\u0000', ' ')
                        + "': it " + NumberAsTextFields.NUL);
            }
        });
    }
}
