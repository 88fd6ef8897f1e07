package io.quarkflow.local;

import java.io.IOException;
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
 * @param healthPath   answers 200 once the service is ready, or null when an open TCP port means ready
 * @param env          extra environment, mostly Quarkus configuration such as the datasource
 */
record ServiceProcess(String name, List<String> command, Path requiredFile, String host, int port, String healthPath,
                      Map<String, String> env) {

    /** A Quarkus service; the JVM running the launcher runs it too, so it needs no JAVA_HOME of its own. */
    static ServiceProcess quarkus(String name, Path jar, String host, int port, String healthPath,
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
        return new ServiceProcess(name, List.copyOf(command), jar, host, port, healthPath, all);
    }

    /** Where clients reach the service; a wildcard bind address is reached through loopback. */
    URI baseUri() {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("http://" + reachable + ":" + port);
    }

    Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).inheritIO();
        builder.environment().putAll(env);
        return builder.start();
    }
}
