package io.quarkflow.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Every setting of {@code ./quarkflow start}, read once from its QUARKFLOW_* variable with its default (the README's
 * table lists them); a value that cannot work fails here, before anything starts. A blank variable counts as unset.
 *
 * @param repo               the checkout whose modules hold the built services (system property quarkflow.repo)
 * @param home               QUARKFLOW_HOME: data, the token, the gateway's tokens file and the run-token key
 * @param host               QUARKFLOW_HOST: where the gateway listens; the services behind it stay on loopback
 * @param database           how the services reach PostgreSQL: QUARKFLOW_DB_URL, or the embedded one
 * @param embeddedDatabase   true unless QUARKFLOW_DB_URL names a server
 * @param authentication     false only for QUARKFLOW_AUTH=off
 * @param usersFile          QUARKFLOW_GATEWAY_AUTH_USERS_FILE, readable; null when unset or authentication is off
 * @param allowedHostsGiven  whether QUARKFLOW_GATEWAY_ALLOWED_HOSTS is set; the gateway reads it itself
 * @param javaOptions        QUARKFLOW_JAVA_OPTS, the options of every service JVM
 */
record LocalSettings(Path repo, Path home, String host,
                     int gatewayPort, int gatewayManagementPort, int trackingPort, int artifactPort, int projectsPort,
                     int launcherPort,
                     int kafkaPort, int kafkaControllerPort, int databasePort,
                     Database database, boolean embeddedDatabase,
                     boolean authentication, Path usersFile, boolean allowedHostsGiven, String accessLogLevel,
                     List<String> javaOptions, Path trackingJar, Path artifactJar, Path projectsJar,
                     Path launcherJar, Path gatewayJar) {

    static LocalSettings fromEnvironment() {
        Path repo = Path.of(System.getProperty("quarkflow.repo", "."));
        int databasePort = port("QUARKFLOW_DB_PORT", 5433);
        String externalDatabase = env("QUARKFLOW_DB_URL", null);
        if (externalDatabase != null && !externalDatabase.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("QUARKFLOW_DB_URL must be a JDBC URL like jdbc:postgresql://host:5432/db");
        }
        Database database = externalDatabase == null
                ? EmbeddedDatabase.address(databasePort)
                : new Database(externalDatabase, env("QUARKFLOW_DB_USER", "postgres"),
                        env("QUARKFLOW_DB_PASSWORD", "postgres"));
        boolean authentication = authenticationOn();
        int kafkaPort = port("QUARKFLOW_KAFKA_PORT", 9092);
        return new LocalSettings(
                repo,
                Path.of(env("QUARKFLOW_HOME", ".quarkflow")).toAbsolutePath().normalize(),
                env("QUARKFLOW_HOST", "127.0.0.1"),
                port("QUARKFLOW_PORT", 5000),
                port("QUARKFLOW_GATEWAY_MANAGEMENT_PORT", 5009),
                port("QUARKFLOW_TRACKING_PORT", 5001),
                port("QUARKFLOW_ARTIFACT_PORT", 5002),
                port("QUARKFLOW_PROJECTS_PORT", 5003),
                port("QUARKFLOW_LAUNCHER_PORT", 5004),
                kafkaPort,
                // Beside the Kafka port, so that a second suite on other ports needs no variable of its own for it.
                port("QUARKFLOW_KAFKA_CONTROLLER_PORT", kafkaPort + 1),
                databasePort,
                database,
                externalDatabase == null,
                authentication,
                authentication ? readableUsersFile() : null,
                env("QUARKFLOW_GATEWAY_ALLOWED_HOSTS", null) != null,
                // One access-log line per request would flood the terminal of a training loop; warnings still show.
                env("QUARKFLOW_ACCESS_LOG_LEVEL", "WARN"),
                splitJavaOptions(),
                jar("QUARKFLOW_TRACKING_JAR", repo.resolve("tracking-service")),
                jar("QUARKFLOW_ARTIFACT_JAR", repo.resolve("artifact-service")),
                jar("QUARKFLOW_PROJECTS_JAR", repo.resolve("projects-service")),
                jar("QUARKFLOW_LAUNCHER_JAR", repo.resolve("launcher")),
                jar("QUARKFLOW_GATEWAY_JAR", repo.resolve("gateway")));
    }

    /** Secure by default: only QUARKFLOW_AUTH=off turns authentication off. */
    private static boolean authenticationOn() {
        String auth = env("QUARKFLOW_AUTH", "on");
        if (!auth.equals("on") && !auth.equals("off")) {
            throw new IllegalStateException("QUARKFLOW_AUTH must be on or off, not " + auth);
        }
        return auth.equals("on");
    }

    private static Path readableUsersFile() {
        String users = env("QUARKFLOW_GATEWAY_AUTH_USERS_FILE", null);
        if (users == null) {
            return null;
        }
        Path usersFile = Path.of(users).toAbsolutePath().normalize();
        if (!Files.isReadable(usersFile)) {
            throw new IllegalStateException("QUARKFLOW_GATEWAY_AUTH_USERS_FILE names " + usersFile
                    + ", which is not a readable file");
        }
        return usersFile;
    }

    /**
     * A bounded heap keeps each service's footprint small and predictable on a laptop (the JVM would otherwise grow
     * toward a quarter of the machine's memory): with the serial collector (no G1 remembered sets, and as fast on a
     * heap this small) and a capped code cache, each service stays under 256 MB resident under load
     * (bench/run.sh versus-mlflow). A small initial heap: left unset, it is 1/64 of the machine's memory, the whole
     * 160 MB here, although a service holds 10-20 MB of live objects; the heap then grows only as far as it is used.
     * Where the JVM has it (17.0.9 and later), the C heap is given back to the system every 10 s: after a burst of
     * load glibc keeps what the JIT and the I/O threads freed, 25-30 MB of tracking-service's resident memory.
     * Unlike the other variables, a blank value counts: no options.
     */
    static final String DEFAULT_JAVA_OPTIONS = "-Xms48m -Xmx160m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"
            + (jvmHas("TrimNativeHeapInterval") ? " -XX:TrimNativeHeapInterval=10000" : "");

    /** Whether this JVM, which also runs the services, knows the option. */
    private static boolean jvmHas(String option) {
        try {
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(option);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> splitJavaOptions() {
        String options = System.getenv().getOrDefault("QUARKFLOW_JAVA_OPTS", DEFAULT_JAVA_OPTIONS);
        return Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /** A service's fast-jar: the one named by the variable, or the one its module builds. */
    private static Path jar(String variable, Path module) {
        return Path.of(env(variable, module.resolve("target/quarkus-app/quarkus-run.jar").toString()));
    }

    private static int port(String name, int fallback) {
        String value = env(name, Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a port number, not " + value);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
