package io.quarkflow.launcher.local;

import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.domain.SourceRules;
import io.quarkflow.mlproject.ProjectArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a run's project where the local backend runs it: a Git commit cloned into the run's directory with the git
 * CLI (arguments as a list, {@code --} before the user's values), an archive downloaded through the gateway and
 * unpacked safely, or a local directory used in place. Returns the project directory (with the subdirectory).
 * Blocking.
 */
final class ProjectFetcher {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Git must never stop to ask for credentials: there is nobody to answer. */
    private static final Map<String, String> GIT_ENVIRONMENT = Map.of("GIT_TERMINAL_PROMPT", "0");

    private final String trackingUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    ProjectFetcher(String trackingUri) {
        this.trackingUri = trackingUri;
    }

    /** @param token the run's MLFLOW_TRACKING_TOKEN, with which an archive is downloaded through the gateway */
    Path fetch(ProjectRunRequest.Source source, Path workDir, Optional<String> token) {
        if (source == null || source.kind() == null) {
            throw new LaunchRefused("The request names no project source");
        }
        List<String> subdirectory = SourceRules.subdirectory(source.subdirectory());
        Path base = switch (source.kind()) {
            case SourceRules.GIT -> clone(source, workDir);
            case SourceRules.ARCHIVE -> unpack(source, workDir, token);
            case SourceRules.LOCAL -> local(source);
            default -> throw new LaunchRefused("Unknown project source kind '" + source.kind() + "'");
        };
        Path project = base;
        for (String segment : subdirectory) {
            project = project.resolve(segment);
        }
        if (!Files.isDirectory(project)) {
            throw new LaunchRefused("The project has no directory '" + source.subdirectory() + "'");
        }
        return project;
    }

    private static Path clone(ProjectRunRequest.Source source, Path workDir) {
        String uri = SourceRules.gitUri(source.uri());
        Path project = workDir.resolve("project");
        Path log = workDir.resolve("git.log");
        List<String> line = new java.util.ArrayList<>(List.of("git", "clone", "--quiet"));
        if (source.version() != null) {
            line.add("--no-checkout");
        }
        line.addAll(List.of("--", uri, project.toString()));
        Steps.run("git clone", line, workDir, GIT_ENVIRONMENT, log);
        if (source.version() != null) {
            String commit = SourceRules.commit(source.version());
            Steps.run("git checkout", List.of("git", "-c", "advice.detachedHead=false", "checkout", "--quiet",
                    commit, "--"), project, GIT_ENVIRONMENT, log);
        }
        return project;
    }

    private Path unpack(ProjectRunRequest.Source source, Path workDir, Optional<String> token) {
        String format = ProjectArchive.format(source.uri());
        String url = trackingUri.replaceAll("/+$", "") + ProjectArchive.downloadPath(source.uri());
        Path archive = workDir.resolve("project-archive");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        try {
            HttpResponse<Path> response = http.send(request.build(), HttpResponse.BodyHandlers.ofFile(archive));
            if (response.statusCode() != 200) {
                throw new LaunchRefused("Downloading the project archive " + source.uri() + " failed: HTTP "
                        + response.statusCode());
            }
            Path project = workDir.resolve("project");
            ProjectArchive.extract(archive, format, project);
            Files.delete(archive);
            return project;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not download or unpack " + source.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while downloading " + source.uri(), e);
        }
    }

    private static Path local(ProjectRunRequest.Source source) {
        Path directory = Path.of(source.uri() == null ? "" : source.uri());
        if (!directory.isAbsolute() || !Files.isDirectory(directory)) {
            throw new LaunchRefused("Local project directory '" + source.uri() + "' is not an absolute path to a "
                    + "directory on the launcher's machine");
        }
        return directory;
    }
}
