package io.quarkflow.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One process the suite runs as a child: a Quarkus service from its fast-jar, or the Kafka broker from its
 * start script.
 *
 * @param requiredFile what must have been built before the process can start
 * @param health       answers 200 once the service is ready, or null when an open TCP port means ready
 * @param env          extra environment, mostly Quarkus configuration such as the datasource
 */
record ServiceProcess(String name, List<String> command, Path requiredFile, String host, int port, URI health,
                      Map<String, String> env) {

    private static final String LOOPBACK = "127.0.0.1";

    /** A Quarkus service whose health check answers on its own HTTP port. */
    static ServiceProcess quarkus(String name, Path jar, String host, int port, String healthPath,
                                  Map<String, String> env) {
        return quarkus(name, jar, host, port, reachable(host, port).resolve(healthPath), env);
    }

    /**
     * A Quarkus service whose health checks answer on its management interface. That interface stays on loopback
     * whatever the service's own address: only the launcher needs it.
     */
    static ServiceProcess quarkusWithManagement(String name, Path jar, String host, int port, int managementPort,
                                                Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_MANAGEMENT_HOST", LOOPBACK);
        all.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        URI health = URI.create("http://" + LOOPBACK + ":" + managementPort + "/q/health/ready");
        return quarkus(name, jar, host, port, health, all);
    }

    /** The JVM running the launcher runs the service too, so it needs no JAVA_HOME of its own. */
    private static ServiceProcess quarkus(String name, Path jar, String host, int port, URI health,
                                          Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        // A bounded heap keeps each service's footprint small and predictable on a laptop (the JVM would
        // otherwise grow toward a quarter of the machine's memory); QUARKFLOW_JAVA_OPTS overrides it.
        String options = System.getenv().getOrDefault("QUARKFLOW_JAVA_OPTS", "-Xmx192m");
        for (String option : options.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_HOST", host);
        all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new ServiceProcess(name, List.copyOf(command), jar, host, port, health, Map.copyOf(all));
    }

    /** Where clients reach the service. */
    URI baseUri() {
        return reachable(host, port);
    }

    /** The addresses the process binds: its own port, and its health checks' when they answer elsewhere. */
    List<InetSocketAddress> listens() {
        InetSocketAddress own = new InetSocketAddress(host, port);
        if (health == null || health.getPort() == port) {
            return List.of(own);
        }
        return List.of(own, new InetSocketAddress(health.getHost(), health.getPort()));
    }

    Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).inheritIO();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A wildcard bind address is reached through loopback. */
    private static URI reachable(String host, int port) {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? LOOPBACK : host;
        return URI.create("http://" + reachable + ":" + port);
    }
}
