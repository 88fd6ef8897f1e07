package io.quarkflow.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * One Quarkflow service that the suite runs as a child JVM from its Quarkus fast-jar. Further services
 * (artifact-service, gateway) become further entries in {@link LocalSuite}'s list.
 *
 * @param healthPath answers 200 once the service is ready
 * @param env        extra environment, mostly Quarkus configuration such as the datasource
 */
record ServiceProcess(String name, Path jar, String host, int port, String healthPath, Map<String, String> env) {

    /** Where clients reach the service; a wildcard bind address is reached through loopback. */
    URI baseUri() {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("http://" + reachable + ":" + port);
    }

    Process start() throws IOException {
        // The JVM running the launcher runs the services too, so they need no JAVA_HOME of their own.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).inheritIO();
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_HOST", host);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return builder.start();
    }
}
