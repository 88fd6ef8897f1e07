package io.quarkflow.e2e;

import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import io.quarkflow.process.FreePorts;
import io.quarkflow.testing.kafka.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the tests drive, started once per test JVM: PostgreSQL, Kafka and S3Proxy inside this JVM;
 * tracking-service, artifact-service, projects-service, the launcher (local backend) and two gateways (one
 * authenticating, one open) as child JVMs from their fast-jars, each on free loopback ports with a bounded heap
 * and its output in {@code <log dir>/<name>.log}. Tests reach the suite through the gateways only.
 */
final class QuarkflowSuite implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final String HEAP = "-Xmx192m";
    /** The suite's internal key, given to every service and the gateway: the services answer no one without it. */
    static final String INTERNAL_KEY = "e2e-internal-key-" + java.util.UUID.randomUUID();
    /** Settings a developer's shell may hold for a local suite; the children get only what this suite gives. */
    private static final List<String> INHERITED_PREFIXES_DROPPED = List.of("QUARKUS_", "QUARKFLOW_", "KAFKA_", "MLFLOW_");

    /** A service JVM, where it answers, where it tells that it is ready, and how it was started. */
    private record Service(ChildProcess process, URI uri, URI health, String jarProperty, Map<String, String> env) {
    }

    private final Path logDir;
    private final FreePorts ports = new FreePorts();
    /** Whatever is running, in start order; closed in reverse. */
    private final List<AutoCloseable> running = new ArrayList<>();
    private ObjectStorage storage;
    /** The embedded PostgreSQL that tracking-service and projects-service share (user and password postgres). */
    private String jdbcUrl;
    private Service gateway;
    private Service openGateway;
    /** Every started process's address, by name. */
    private final Map<String, URI> direct = new HashMap<>();
    /** The services a test may stop and start again, by name. */
    private final Map<String, Service> restartable = new HashMap<>();

    private QuarkflowSuite(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts everything, or stops what had started and throws. */
    static QuarkflowSuite start() {
        long started = System.nanoTime();
        QuarkflowSuite suite = new QuarkflowSuite(Path.of(requiredProperty("quarkflow.e2e.log-dir")));
        // A test JVM stopped early (Ctrl-C in Maven) must not leave services behind.
        Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "quarkflow-e2e-stop"));
        try {
            suite.startAll();
            System.out.printf("Quarkflow end-to-end suite started in %.1f s: gateway %s, open gateway %s, logs in %s%n",
                    (System.nanoTime() - started) / 1e9, suite.gateway(), suite.openGateway(), suite.logDir);
            return suite;
        } catch (Exception e) {
            suite.close();
            throw new IllegalStateException("The end-to-end suite did not start (logs in " + suite.logDir + ")", e);
        }
    }

    /** The gateway with authentication on; see {@link GatewayIdentities}. */
    URI gateway() {
        return gateway.uri();
    }

    /** The gateway with {@code QUARKFLOW_GATEWAY_AUTH_ENABLED=false}, in front of the same services. */
    URI openGateway() {
        return openGateway.uri();
    }

    ObjectStorage storage() {
        return storage;
    }

    /** For tests that read the services' tables directly (user and password postgres). */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** A service's own address, behind the gateway ("tracking-service", "launcher", ...): for tests of the bypass. */
    synchronized URI direct(String name) {
        URI address = direct.get(name);
        if (address == null) {
            throw new IllegalArgumentException("No service " + name + " in the suite");
        }
        return address;
    }

    /** The process id of the running service JVM of that name ("gateway", "artifact-service", ...). */
    synchronized long pid(String name) {
        return running.stream()
                .filter(ChildProcess.class::isInstance)
                .map(ChildProcess.class::cast)
                .filter(process -> process.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No running service " + name))
                .pid();
    }

    /**
     * Stops the service (as an orchestrator would: SIGTERM, then SIGKILL after the grace), runs {@code whileDown},
     * then starts it again on the same port with the same settings and waits until it is ready.
     */
    synchronized void restart(String name, Runnable whileDown) throws Exception {
        Service old = restartable.get(name);
        old.process().close();
        running.remove(old.process());
        whileDown.run();
        int port = old.uri().getPort();
        Service again = start(name, old.jarProperty(), port, old.health(), old.env());
        restartable.put(name, again);
        again.process().awaitHttpOk(again.health(), STARTUP_TIMEOUT);
    }

    /** Kills the service (SIGKILL: no shutdown at all, as a crash or an OOM kill), then starts it again as {@link #restart}. */
    synchronized void crashAndRestart(String name) throws Exception {
        ChildProcess process = restartable.get(name).process();
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor();
        restart(name, () -> {
        });
    }

    /** The stock MLflow client, signed in to the authenticating gateway as a user who may write. */
    MlflowClient editorClient() {
        return new MlflowClient(new BasicMlflowHostCreds(gateway().toString(),
                GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD));
    }

    /**
     * PostgreSQL first: tracking-service migrates its schema as it boots. Then the four JVMs, which need nothing else
     * to boot; Kafka and S3Proxy start in this JVM while they do (their ports are chosen beforehand).
     */
    private void startAll() throws Exception {
        Files.createDirectories(logDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOutputRedirector(ProcessBuilder.Redirect.to(logDir.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.to(logDir.resolve("postgres.err.log").toFile()))
                .start();
        running.add(postgres);
        KafkaBroker kafka = KafkaBroker.onFreePorts(ports);
        running.add(kafka);
        int s3Port = ports.next();

        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        Service tracking = service("tracking-service", "quarkflow.e2e.tracking-jar", "/health", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_REACTIVE_URL", jdbcUrl.substring("jdbc:".length()),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "QUARKUS_DATASOURCE_DEVSERVICES_ENABLED", "false",
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_KAFKA_DEVSERVICES_ENABLED", "false"));
        Service artifacts = service("artifact-service", "quarkflow.e2e.artifact-jar", "/q/health/ready", Map.of(
                "QUARKFLOW_ARTIFACT_BACKEND", "s3",
                "QUARKFLOW_ARTIFACT_S3_ENDPOINT", ObjectStorage.endpoint(s3Port),
                "QUARKFLOW_ARTIFACT_S3_BUCKET", ObjectStorage.BUCKET,
                "QUARKFLOW_ARTIFACT_S3_PREFIX", ObjectStorage.PREFIX,
                "QUARKFLOW_ARTIFACT_S3_ACCESS_KEY", ObjectStorage.ACCESS_KEY,
                "QUARKFLOW_ARTIFACT_S3_SECRET_KEY", ObjectStorage.SECRET_KEY,
                // S3's smallest part: a large upload of unknown length goes to storage in many parts.
                "QUARKFLOW_ARTIFACT_S3_PART_SIZE", "5M",
                "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.uri().toString()));
        int launcherPort = ports.next(); // projects-service relays the logs the launcher holds
        Service projects = service("projects-service", "quarkflow.e2e.projects-jar", "/q/health/ready", Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl),
                Map.entry("QUARKUS_DATASOURCE_REACTIVE_URL", jdbcUrl.substring("jdbc:".length())),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "postgres"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                Map.entry("QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.uri().toString()),
                Map.entry("QUARKFLOW_PROJECTS_DEFAULT_BACKEND", "local"),
                Map.entry("QUARKFLOW_PROJECTS_LOCAL_DIRECTORIES", "true"),
                Map.entry("QUARKFLOW_PROJECTS_LAUNCHER_URL", loopback(launcherPort).toString()),
                Map.entry("QUARKFLOW_PROJECTS_ARTIFACT_URL", artifacts.uri().toString()),
                Map.entry("QUARKFLOW_PROJECTS_WORK_DIR", logDir.resolve("projects-work").toString())));
        Map<String, String> upstreams = Map.of(
                "QUARKFLOW_GATEWAY_TRACKING_URL", tracking.uri().toString(),
                "QUARKFLOW_GATEWAY_ARTIFACT_URL", artifacts.uri().toString(),
                "QUARKFLOW_GATEWAY_PROJECTS_URL", projects.uri().toString());
        Map<String, String> authenticating = new HashMap<>(upstreams);
        authenticating.putAll(GatewayIdentities.writeFiles(logDir));
        authenticating.put("QUARKFLOW_GATEWAY_AUTH_RUN_TOKEN_KEY", GatewayIdentities.RUN_TOKEN_KEY);
        gateway = gateway("gateway", authenticating);
        Map<String, String> open = new HashMap<>(upstreams);
        open.put("QUARKFLOW_GATEWAY_AUTH_ENABLED", "false");
        openGateway = gateway("gateway-open", open);
        // Runs projects as local processes that log through the authenticating gateway, as a user's code would, each
        // with a token of its own that may change only its run. Their `python` is the MLflow client's, as a user
        // starts the local suite from the shell where MLflow is installed.
        Service launcher = start("launcher", "quarkflow.e2e.launcher-jar", launcherPort,
                loopback(launcherPort).resolve("/q/health/ready"), Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.uri().toString(),
                        "QUARKFLOW_LAUNCHER_TRACKING_URI", gateway.uri().toString(),
                        "QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY", GatewayIdentities.RUN_TOKEN_KEY,
                        "QUARKFLOW_LAUNCHER_LOCAL_WORK_DIR", logDir.resolve("launcher-runs").toString(),
                        "PATH", PythonClient.pathWithMlflow()));
        restartable.put("projects-service", projects);
        restartable.put("tracking-service", tracking);

        kafka.start();
        storage = ObjectStorage.start(s3Port);
        running.add(storage);
        for (Service service : List.of(tracking, artifacts, projects, gateway, openGateway, launcher)) {
            service.process().awaitHttpOk(service.health(), STARTUP_TIMEOUT);
        }
    }

    private Service service(String name, String jarProperty, String healthPath, Map<String, String> env)
            throws IOException {
        int port = ports.next();
        return start(name, jarProperty, port, loopback(port).resolve(healthPath), env);
    }

    /** The gateway's main port serves no anonymous route; its health is on the management port. */
    private Service gateway(String name, Map<String, String> env) throws IOException {
        int managementPort = ports.next();
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        all.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        return start(name, "quarkflow.e2e.gateway-jar", ports.next(), loopback(managementPort).resolve("/q/health/ready"),
                all);
    }

    /** Starts the service and returns at once, so that the services boot side by side. */
    private Service start(String name, String jarProperty, int port, URI health, Map<String, String> env)
            throws IOException {
        Path jar = Path.of(requiredProperty(jarProperty));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not packaged: " + jar
                    + " is missing (build with ./mvnw -pl e2e -am verify)");
        }
        Map<String, String> all = new HashMap<>();
        all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // A production jar starts no Dev Services, but nothing here may ever try to reach a container engine.
        all.put("QUARKUS_DEVSERVICES_ENABLED", "false");
        all.put("QUARKFLOW_INTERNAL_KEY", INTERNAL_KEY);
        all.putAll(env);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ChildProcess process = ChildProcess.start(Command.of(name, List.of(java, HEAP, "-jar", jar.toString()))
                .withoutInherited(INHERITED_PREFIXES_DROPPED)
                .withEnvironment(all)
                .withDirectory(logDir)
                .withLog(logDir.resolve(name + ".log")));
        running.add(process);
        direct.put(name, loopback(port));
        return new Service(process, loopback(port), health, jarProperty, env);
    }

    /** Without a trailing slash. */
    private static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops everything in reverse start order; safe to call again (the shutdown hook does). */
    @Override
    public synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not stop " + running.get(i) + ": " + e);
            }
        }
        running.clear();
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set; run the suite through Maven");
        }
        return value;
    }
}
