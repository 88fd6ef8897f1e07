package io.quarkflow.k8s;

/**
 * Where a Quarkus service answers its health checks, derived from its configuration the way Quarkus derives it: on
 * the management interface (quarkus.management.*, root /q) when that is enabled, else on the HTTP port under the
 * non-application root (quarkus.http.root-path + quarkus.http.non-application-root-path, "q" by default); then
 * SmallRye Health's root (health) and its live, ready and started paths.
 */
record HealthEndpoints(int port, boolean management, String live, String ready, String started) {

    /** The defaults of Quarkus 3's configuration, for properties a service does not set. */
    static HealthEndpoints of(ServiceConfig config) {
        boolean management = config.getBoolean("quarkus.management.enabled", false);
        int port = Integer.parseInt(management ? config.get("quarkus.management.port", "9000")
                : config.get("quarkus.http.port", "8080"));
        String base;
        if (management) {
            base = config.get("quarkus.management.root-path", "/q");
        } else {
            String nonApplication = config.get("quarkus.http.non-application-root-path", "q");
            base = nonApplication.startsWith("/") ? nonApplication
                    : join(config.get("quarkus.http.root-path", "/"), nonApplication);
        }
        String healthRoot = config.get("quarkus.smallrye-health.root-path", "health");
        String health = healthRoot.startsWith("/") ? healthRoot : join(base, healthRoot);
        return new HealthEndpoints(port, management,
                join(health, config.get("quarkus.smallrye-health.liveness-path", "live")),
                join(health, config.get("quarkus.smallrye-health.readiness-path", "ready")),
                join(health, config.get("quarkus.smallrye-health.startup-path", "started")));
    }

    private static String join(String base, String path) {
        String left = base.replaceAll("/+$", "");
        if (!left.isEmpty() && !left.startsWith("/")) {
            left = "/" + left;
        }
        return left + "/" + path.replaceAll("^/+", "");
    }
}
