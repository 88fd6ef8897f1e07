package io.quarkflow.projects.source;

import io.quarkflow.internal.key.InternalKey;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlproject.ProjectArchive;
import io.quarkflow.mlproject.ProjectException;
import io.quarkflow.mlproject.ProjectSource;
import io.quarkflow.projects.config.ProjectsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fetches a project so that its MLproject can be read, as MLflow does (projects/utils.py): a Git repository at a
 * version (shallow: only that commit), an archive uploaded through the artifact proxy, or a directory of this
 * machine in place, or at a version when it is a Git repository. Blocking (git, files): call it from a worker thread.
 */
@ApplicationScoped
public class ProjectFetcher {

    private final ProjectsConfig config;
    private final Git git;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Optional<InternalKey> internalKey;

    public ProjectFetcher(ProjectsConfig config,
                          @ConfigProperty(name = InternalKey.PROPERTY) Optional<String> internalKey) {
        this.config = config;
        this.internalKey = InternalKey.of(internalKey);
        this.git = new Git(config.gitTimeout());
    }

    /** @param version checked with {@link ProjectSource#checkVersion}; null for the default branch */
    public Checkout fetch(ProjectSource source, String version) {
        return switch (source.kind()) {
            case GIT -> clone(source.uri(), version, source.subdirectory());
            case LOCAL -> local(source, version);
            case ARCHIVE -> unpack(source.uri(), source.subdirectory());
        };
    }

    private Checkout local(ProjectSource source, String version) {
        if (!config.localDirectories()) {
            throw MlflowException.invalidParameter("This server does not run projects from its own directories; "
                    + "give a Git URI.");
        }
        Path dir = Path.of(source.uri());
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw MlflowException.invalidParameter("Project directory '" + dir + "' does not exist.");
        }
        boolean repository = Files.exists(dir.resolve(".git"));
        if (version != null) {
            if (!repository) {
                throw MlflowException.invalidParameter("Setting a version is only supported for Git project URIs");
            }
            return clone(dir.toString(), version, source.subdirectory());
        }
        String commit = repository ? commit(dir) : null;
        return new Checkout(subdirectory(dir, source.subdirectory()), commit, null, null);
    }

    /**
     * An archive uploaded through the artifact proxy ({@code mlflow-artifacts:/...}), read from artifact-service
     * and unpacked safely: no other URL is ever fetched, so a submission cannot make this server reach what its
     * user cannot.
     */
    private Checkout unpack(String uri, String subdirectory) {
        String format;
        URI url;
        try {
            format = ProjectArchive.format(uri);
            url = URI.create(config.artifactUrl().replaceAll("/+$", "") + ProjectArchive.downloadPath(uri));
        } catch (ProjectException e) {
            throw MlflowException.invalidParameter(e.getMessage());
        }
        Path copy = newCopy();
        try {
            Path archive = copy.resolve("archive");
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(config.gitTimeout()).GET();
            internalKey.ifPresent(key -> request.header(InternalKey.HEADER, key.value()));
            HttpResponse<Path> response = http.send(request.build(), HttpResponse.BodyHandlers.ofFile(archive));
            if (response.statusCode() == 404) {
                throw MlflowException.invalidParameter("Project archive " + uri + " does not exist.");
            }
            if (response.statusCode() != 200) {
                throw MlflowException.unavailable("Could not read the project archive " + uri
                        + ": artifact-service answered HTTP " + response.statusCode());
            }
            Path project = copy.resolve("project");
            ProjectArchive.extract(archive, format, project);
            return new Checkout(subdirectory(project, subdirectory), null, null, copy, sha256(archive));
        } catch (ProjectException e) {
            new Checkout(copy, null, null, copy).close();
            throw MlflowException.invalidParameter(e.getMessage());
        } catch (IOException e) {
            new Checkout(copy, null, null, copy).close();
            throw new UncheckedIOException("Could not read the project archive " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            new Checkout(copy, null, null, copy).close();
            throw e;
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** MLflow's fetch: {@code git init}, the remote as origin, the version (or the remote's HEAD) at depth 1. */
    private Checkout clone(String uri, String version, String subdirectory) {
        Path copy = newCopy();
        try {
            git.run(copy, "init", "-q");
            git.run(copy, "remote", "add", "origin", "--", uri);
            git.run(copy, "fetch", "-q", "--depth", "1", "--no-tags", "origin", "--",
                    version == null ? "HEAD" : version);
            git.run(copy, "checkout", "-q", "--detach", "FETCH_HEAD");
            String commit = commit(copy);
            String branch = version != null && git.succeeds(copy, "ls-remote", "--exit-code", "--heads", "origin",
                    "--", "refs/heads/" + version) ? version : null;
            return new Checkout(subdirectory(copy, subdirectory), commit, branch, copy);
        } catch (RuntimeException e) {
            new Checkout(copy, null, null, copy).close();
            throw e;
        }
    }

    /** The checked-out commit: the last line of rev-parse's output (git's output and warnings share one log). */
    private String commit(Path dir) {
        List<String> lines = git.run(dir, "rev-parse", "HEAD").strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    private static Path subdirectory(Path root, String subdirectory) {
        if (subdirectory.isEmpty()) {
            return root;
        }
        try {
            // Real paths: a symbolic link inside the repository must not lead out of it.
            Path dir = root.resolve(subdirectory).toRealPath();
            if (dir.startsWith(root.toRealPath()) && Files.isDirectory(dir)) {
                return dir;
            }
        } catch (IOException e) {
            // no such directory: answered below
        }
        throw MlflowException.invalidParameter("The project has no subdirectory '" + subdirectory + "'.");
    }

    private Path newCopy() {
        try {
            Files.createDirectories(config.workDir());
            return Files.createTempDirectory(config.workDir(), "checkout-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory under " + config.workDir(), e);
        }
    }
}
