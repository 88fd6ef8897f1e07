package io.quarkflow.launcher.local;

import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.domain.LaunchRefused;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * docker_env on the local backend, as MLflow's local docker backend runs it: {@code docker run --rm} with the
 * project mounted as the working directory, docker_env's volumes ({@code -v}) and every variable ({@code -e}).
 * A {@code docker} client without a reachable engine counts as none.
 */
final class DockerEngine {

    private static final String CODE = "/mlflow/projects/code";

    private DockerEngine() {
    }

    /** Whether {@code docker version} reaches a server within a few seconds. Blocking. */
    static boolean available() {
        try {
            Process probe = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false; // no docker on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static List<String> runLine(ProjectRunRequest.Environment environment, Path project, Map<String, String> env,
                                String command) {
        if (environment.image() == null || environment.image().isBlank()) {
            throw new LaunchRefused("docker_env names no image");
        }
        List<String> line = new ArrayList<>(List.of("docker", "run", "--rm", "-v", project + ":" + CODE, "-w", CODE));
        if (environment.volumes() != null) {
            environment.volumes().forEach(volume -> line.addAll(List.of("-v", volume)));
        }
        env.forEach((name, value) -> {
            if (!name.equals("PATH")) {
                line.addAll(List.of("-e", name + "=" + value));
            }
        });
        if (environment.variables() != null) {
            environment.variables().forEach((name, value) -> {
                String resolved = value != null ? value : System.getenv(name);
                if (resolved == null) {
                    throw new LaunchRefused("docker_env variable " + name
                            + " is to be copied from the launcher's environment, where it is not set");
                }
                line.addAll(List.of("-e", name + "=" + resolved));
            });
        }
        line.addAll(List.of(environment.image(), "bash", "-c", command));
        return line;
    }
}
