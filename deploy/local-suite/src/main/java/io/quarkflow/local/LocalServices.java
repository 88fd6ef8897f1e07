package io.quarkflow.local;

import static io.quarkflow.local.ServiceProcess.LOOPBACK;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The children of the suite and how each finds the others: Kafka and the services on loopback
 * whatever QUARKFLOW_HOST says, and the gateway as the one entry point.
 */
record LocalServices(ServiceProcess kafka, ServiceProcess tracking, ServiceProcess artifacts,
                     ServiceProcess projects, ServiceProcess launcher, ServiceProcess gateway) {

    /** Quarkus's setting of the number of event loops, left to the user when set in the environment. */
    private static final String EVENT_LOOPS = "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE";

    /**
     * @param token       the local token, or null when authentication is off
     * @param runTokenKey the key of the runs' own tokens, or null when authentication is off
     * @param internalKey the key the gateway and the services send each other, new at every start: the services
     *                    answer no one else, whether or not the gateway authenticates its users
     */
    static LocalServices of(LocalSettings settings, LocalToken token, LocalRunTokenKey runTokenKey,
                            String internalKey) {
        ServiceProcess kafka = new ServiceProcess("kafka",
                List.of("bash", settings.repo().resolve("deploy/kafka/start-kafka.sh").toString()),
                settings.repo().resolve("deploy/kafka/target/lib"), LOOPBACK, settings.kafkaPort(), null,
                Map.of("QUARKFLOW_HOME", settings.home().toString(),
                        "QUARKFLOW_KAFKA_PORT", Integer.toString(settings.kafkaPort()),
                        "QUARKFLOW_KAFKA_CONTROLLER_PORT", Integer.toString(settings.kafkaControllerPort())));
        Database database = settings.database();
        ServiceProcess tracking = ServiceProcess.quarkus("tracking-service", settings.trackingJar(),
                settings.javaOptions(), LOOPBACK, settings.trackingPort(), "/health",
                withKey(internalKey, Map.of("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                        "QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl(),
                        "QUARKUS_DATASOURCE_USERNAME", database.user(),
                        "QUARKUS_DATASOURCE_PASSWORD", database.password(),
                        "KAFKA_BOOTSTRAP_SERVERS", LOOPBACK + ":" + settings.kafkaPort())));
        ServiceProcess artifacts = ServiceProcess.quarkus("artifact-service", settings.artifactJar(),
                settings.javaOptions(), LOOPBACK, settings.artifactPort(), "/q/health/ready",
                withKey(internalKey, Map.of(
                        "QUARKFLOW_ARTIFACT_LOCAL_ROOT", settings.home().resolve("artifacts").toString(),
                        "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.baseUri().toString())));
        // Projects run as processes of this machine, from Git repositories or its own directories.
        ServiceProcess projects = ServiceProcess.quarkus("projects-service", settings.projectsJar(),
                settings.javaOptions(), LOOPBACK, settings.projectsPort(), "/q/health/ready", withKey(internalKey,
                Map.ofEntries(
                        Map.entry("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl()),
                        Map.entry("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl()),
                        Map.entry("QUARKUS_DATASOURCE_USERNAME", database.user()),
                        Map.entry("QUARKUS_DATASOURCE_PASSWORD", database.password()),
                        Map.entry("KAFKA_BOOTSTRAP_SERVERS", LOOPBACK + ":" + settings.kafkaPort()),
                        Map.entry("QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.baseUri().toString()),
                        Map.entry("QUARKFLOW_PROJECTS_DEFAULT_BACKEND", "local"),
                        Map.entry("QUARKFLOW_PROJECTS_LOCAL_DIRECTORIES", "true"),
                        Map.entry("QUARKFLOW_PROJECTS_LAUNCHER_URL",
                                "http://" + LOOPBACK + ":" + settings.launcherPort()),
                        Map.entry("QUARKFLOW_PROJECTS_ARTIFACT_URL", artifacts.baseUri().toString()),
                        Map.entry("QUARKFLOW_PROJECTS_WORK_DIR",
                                settings.home().resolve("projects-work").toString()))));
        // The runs log through the gateway, as the user's own code does, each with a token of its own that may change
        // only its run (never the local token, which may change everything).
        Map<String, String> launcherEnv = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", LOOPBACK + ":" + settings.kafkaPort(),
                "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.baseUri().toString(),
                "QUARKFLOW_LAUNCHER_TRACKING_URI",
                "http://" + gatewayHost(settings.host()) + ":" + settings.gatewayPort(),
                "QUARKFLOW_LAUNCHER_LOCAL_WORK_DIR", settings.home().resolve("project-runs").toString()));
        if (runTokenKey != null) {
            launcherEnv.put("QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY", runTokenKey.value());
        }
        ServiceProcess launcher = ServiceProcess.quarkus("launcher", settings.launcherJar(), settings.javaOptions(),
                LOOPBACK, settings.launcherPort(), "/q/health/ready", withKey(internalKey, launcherEnv));
        ServiceProcess gateway = ServiceProcess.quarkusWithManagement("gateway", settings.gatewayJar(),
                settings.javaOptions(), settings.host(), settings.gatewayPort(), settings.gatewayManagementPort(),
                withKey(internalKey, gatewayEnv(settings, tracking, artifacts, projects, token, runTokenKey)));
        return new LocalServices(kafka, tracking, artifacts, projects, launcher, gateway);
    }

    /** Each needs the ones before it to be ready. */
    List<ServiceProcess> inStartOrder() {
        return List.of(kafka, tracking, artifacts, projects, launcher, gateway);
    }

    /**
     * Where the gateway finds the services, and whom it admits: the local token, any configured users, and the runs'
     * own tokens.
     */
    private static Map<String, String> gatewayEnv(LocalSettings settings, ServiceProcess tracking,
                                                  ServiceProcess artifacts, ServiceProcess projects, LocalToken token,
                                                  LocalRunTokenKey runTokenKey) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKFLOW_GATEWAY_TRACKING_URL", tracking.baseUri().toString());
        env.put("QUARKFLOW_GATEWAY_ARTIFACT_URL", artifacts.baseUri().toString());
        env.put("QUARKFLOW_GATEWAY_PROJECTS_URL", projects.baseUri().toString());
        // Set either way, so that a QUARKFLOW_GATEWAY_AUTH_ENABLED=false left in the shell cannot switch it off.
        env.put("QUARKFLOW_GATEWAY_AUTH_ENABLED", Boolean.toString(token != null));
        if (token != null) {
            env.put("QUARKFLOW_GATEWAY_AUTH_TOKENS_FILE", token.tokensFile().toString());
            if (settings.usersFile() != null) {
                env.put("QUARKFLOW_GATEWAY_AUTH_USERS_FILE", settings.usersFile().toString());
            }
        }
        if (runTokenKey != null) {
            env.put("QUARKFLOW_GATEWAY_AUTH_RUN_TOKEN_KEY", runTokenKey.value());
        }
        env.put("QUARKUS_LOG_CATEGORY__IO_QUARKFLOW_GATEWAY_ACCESS__LEVEL", settings.accessLogLevel());
        if (System.getenv(EVENT_LOOPS) == null) {
            env.put(EVENT_LOOPS, Integer.toString(gatewayEventLoops(Runtime.getRuntime().availableProcessors())));
        }
        if (isLoopback(settings.host()) && !settings.allowedHostsGiven()) {
            // A web page can make a browser send requests to 127.0.0.1 under a name it controls (DNS rebinding);
            // a gateway only this machine can reach has no business answering any other name.
            env.put("QUARKFLOW_GATEWAY_ALLOWED_HOSTS", "localhost,127.0.0.1,::1");
        }
        return Map.copyOf(env);
    }

    /**
     * Event loops of the gateway, which shares this machine with the services and PostgreSQL and only relays: half
     * the cores rather than Quarkus's twice the cores. On two cores, with the searches of the versus-mlflow benchmark
     * at 16 connections, one loop gave a p99 of 39-53 ms against 73-265 ms with the default's two, its rate 4 % lower
     * (960 against 1,000-1,200/s); log-metric and log-batch went as fast or faster (3,680-4,590 against 3,720-4,020
     * and 694-780 against 660-698 requests/s). More loops than the relaying needs only take turns on the cores
     * with the threads doing the work: every request waits for a loop twice.
     */
    static int gatewayEventLoops(int cores) {
        return Math.max(1, cores / 2);
    }

    private static Map<String, String> withKey(String internalKey, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKFLOW_INTERNAL_KEY", internalKey);
        return Map.copyOf(all);
    }

    /** Where a process of this machine reaches the gateway: a wildcard address is reachable on loopback. */
    private static String gatewayHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? LOOPBACK : host.contains(":") ? "[" + host + "]" : host;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
