package io.quarkflow.local;

import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One process the suite runs as a child: a Quarkus service from its fast-jar, or the Kafka broker from its
 * start script. Its output shares the suite's console.
 *
 * @param requiredFile what must have been built before the process can start
 * @param health       answers 200 once the service is ready, or null when an open TCP port means ready
 * @param env          extra environment, mostly Quarkus configuration such as the datasource
 */
record ServiceProcess(String name, List<String> command, Path requiredFile, String host, int port, URI health,
                      Map<String, String> env) implements Supervisor.Service {

    static final String LOOPBACK = "127.0.0.1";

    /** A Quarkus service whose health check answers on its own HTTP port. */
    static ServiceProcess quarkus(String name, Path jar, List<String> javaOptions, String host, int port,
                                  String healthPath, Map<String, String> env) {
        return quarkus(name, jar, javaOptions, host, port, reachable(host, port).resolve(healthPath), env);
    }

    /**
     * A Quarkus service whose health checks answer on its management interface. That interface stays on loopback
     * whatever the service's own address: only the launcher needs it.
     */
    static ServiceProcess quarkusWithManagement(String name, Path jar, List<String> javaOptions, String host,
                                                int port, int managementPort, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_MANAGEMENT_HOST", LOOPBACK);
        all.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        URI health = URI.create("http://" + LOOPBACK + ":" + managementPort + "/q/health/ready");
        return quarkus(name, jar, javaOptions, host, port, health, all);
    }

    /** The JVM running the launcher runs the service too, so it needs no JAVA_HOME of its own. */
    private static ServiceProcess quarkus(String name, Path jar, List<String> javaOptions, String host, int port,
                                          URI health, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
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

    @Override
    public ChildProcess start() throws IOException {
        return ChildProcess.start(Command.of(name, command).withEnvironment(env));
    }

    /** Returns once the started process answers its health check, or listens when it has none. */
    @Override
    public void awaitReady(ChildProcess process, Duration timeout) throws InterruptedException {
        if (health == null) {
            process.awaitPort(host, port, timeout);
        } else {
            process.awaitHttpOk(health, timeout);
        }
    }

    /** A wildcard bind address is reached through loopback. */
    private static URI reachable(String host, int port) {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? LOOPBACK : host;
        return URI.create("http://" + reachable + ":" + port);
    }
}
