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
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_HOST", host);
        all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new ServiceProcess(name, List.of(java, "-jar", jar.toString()), jar, host, port, healthPath, all);
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
