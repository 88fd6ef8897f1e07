package io.quarkflow.gateway;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the route table: which requests it takes, who answers them, and the permission they need. The table
 * is the only way in: a request no route takes is answered 404 (after authentication), so a new service endpoint is
 * reachable only once it is listed here with its permission. A new service is one {@link Target} entry and its
 * routes.
 *
 * @param path   an exact path, in which a {@code {name}} segment stands for any one non-empty segment (a model id);
 *               or a prefix when {@code prefix} is set
 */
public record Route(Set<HttpMethod> methods, String path, boolean prefix, Target target, Permission permission) {

    /**
     * Who answers a route: a service behind the gateway, or the gateway itself. A service is described once, here;
     * its address, the proxying to it and its part in GET /health all follow from its entry.
     */
    public enum Target {
        TRACKING(new Upstream("tracking-service", "quarkflow.gateway.tracking-url", "http://tracking-service:5000",
                "/health")),
        ARTIFACTS(new Upstream("artifact-service", "quarkflow.gateway.artifact-url", "http://artifact-service:5001",
                "/q/health/ready")),
        PROJECTS(new Upstream("projects-service", "quarkflow.gateway.projects-url", "http://projects-service:5003",
                "/q/health/ready")),
        /** Answered by the gateway itself: the services' aggregated readiness. */
        HEALTH(null);

        private final Upstream upstream;

        Target(Upstream upstream) {
            this.upstream = upstream;
        }

        /** The service that answers, or empty when the gateway answers itself. */
        public Optional<Upstream> upstream() {
            return Optional.ofNullable(upstream);
        }
    }

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    /** MLflow endpoints that are POSTed to but change nothing. */
    private static final List<String> READ_ONLY_POSTS = List.of(
            "runs/search", "experiments/search", "experiments/search-datasets", "logged-models/search",
            "registered-models/get-latest-versions");

    /** First match wins, so exact routes come before the prefixes that also cover them. */
    public static final List<Route> TABLE = table();

    private static List<Route> table() {
        List<Route> routes = new ArrayList<>();
        // The web UI's artifact routes, which MLflow registers beside its API (mlflow/server/__init__.py): ajax-api
        // only, and /get-artifact at the root. The bytes are artifact-service's.
        routes.add(exact(READS, "/get-artifact", Target.ARTIFACTS, Permission.READ));
        routes.add(exact(Set.of(HttpMethod.POST), "/ajax-api/2.0/mlflow/upload-artifact", Target.ARTIFACTS,
                Permission.EDIT));
        routes.add(exact(READS, "/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files", Target.ARTIFACTS,
                Permission.READ));
        for (String api : List.of("/api/2.0/", "/ajax-api/2.0/")) {
            String mlflow = api + "mlflow/";
            // Artifact listings need the artifact store, which only artifact-service holds; the runs and logged
            // models they belong to are tracking-service's.
            routes.add(exact(READS, mlflow + "artifacts/list", Target.ARTIFACTS, Permission.READ));
            routes.add(exact(READS, mlflow + "logged-models/{model_id}/artifacts/directories", Target.ARTIFACTS,
                    Permission.READ));
            for (String endpoint : READ_ONLY_POSTS) {
                routes.add(exact(Set.of(HttpMethod.POST), mlflow + endpoint, Target.TRACKING, Permission.READ));
            }
            routes.add(new Route(READS, mlflow, true, Target.TRACKING, Permission.READ));
            routes.add(new Route(WRITES, mlflow, true, Target.TRACKING, Permission.EDIT));
            String artifacts = api + "mlflow-artifacts/";
            routes.add(new Route(READS, artifacts, true, Target.ARTIFACTS, Permission.READ));
            routes.add(new Route(WRITES, artifacts, true, Target.ARTIFACTS, Permission.EDIT));
        }
        // MLflow Projects and workflows of them run by Quarkflow: submitting and cancelling change runs, so they need
        // EDIT.
        for (String projects : List.of("/api/2.0/quarkflow/projects/", "/api/2.0/quarkflow/workflows/")) {
            routes.add(new Route(READS, projects, true, Target.PROJECTS, Permission.READ));
            routes.add(new Route(WRITES, projects, true, Target.PROJECTS, Permission.EDIT));
        }
        // A presigned URL may be one to write with: asking for one needs EDIT.
        routes.add(exact(Set.of(HttpMethod.POST), "/api/2.0/quarkflow/artifacts/presign", Target.ARTIFACTS,
                Permission.EDIT));
        routes.add(exact(READS, "/health", Target.HEALTH, Permission.READ));
        routes.add(exact(READS, "/version", Target.TRACKING, Permission.READ));
        return List.copyOf(routes);
    }

    private static Route exact(Set<HttpMethod> methods, String path, Target target, Permission permission) {
        return new Route(methods, path, false, target, permission);
    }

    /**
     * The route as its metrics name it (the uri tag of http_server_requests): the path, with {@code {path}} standing
     * for whatever a prefix route leaves open. Never a request's own path, whose artifact paths and model ids would
     * start a new time series per request.
     */
    public String template() {
        return prefix ? path + "{path}" : path;
    }

    /** The route that takes this request, if any; {@code path} must be normalised (no dot segments). */
    public static Optional<Route> find(HttpMethod method, String path) {
        for (Route route : TABLE) {
            if (route.methods.contains(method) && route.takes(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private boolean takes(String requestPath) {
        if (prefix) {
            return requestPath.startsWith(path);
        }
        int variable = path.indexOf('{');
        if (variable < 0) {
            return requestPath.equals(path);
        }
        // Most requests differ before the first variable; only the rest is compared segment by segment.
        if (!requestPath.regionMatches(0, path, 0, variable)) {
            return false;
        }
        String[] expected = path.substring(variable).split("/", -1);
        String[] actual = requestPath.substring(variable).split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            boolean any = expected[i].startsWith("{");
            if (any ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }
}
