package io.quarkflow.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Project URIs as the server takes them: a directory of this machine (with an optional {@code #subdirectory}) is
 * packed and uploaded through the artifact proxy and becomes its {@code mlflow-artifacts:} URI; anything else (a Git
 * URI) is the server's to fetch and goes as it is. Each directory is uploaded once per command.
 */
final class ProjectUpload {

    /** A URI scheme of two letters or more ({@code C:} is a drive, not a scheme). */
    private static final String SCHEME = "^[A-Za-z][A-Za-z0-9+.-]+:.*";

    private final BiFunction<Path, ProjectArchive, String> uploader;
    private final PrintStream log;
    private final Map<Path, String> uploaded = new HashMap<>();

    /** @param uploader stores a directory's archive and returns its URI */
    ProjectUpload(BiFunction<Path, ProjectArchive, String> uploader, PrintStream log) {
        this.uploader = uploader;
        this.log = log;
    }

    static ProjectUpload through(ProjectsApi api, PrintStream log) {
        return new ProjectUpload((directory, archive) -> api.upload(archive.uploadPath(directory), archive.bytes()),
                log);
    }

    /** The directory that {@code uri} names, relative paths from {@code base}, if it is one. */
    static Optional<Path> localDirectory(String uri, Path base) {
        String path = uri.contains("#") ? uri.substring(0, uri.indexOf('#')) : uri;
        if (path.isEmpty() || path.matches(SCHEME)) {
            return Optional.empty();
        }
        try {
            Path directory = base.resolve(path);
            return Files.isDirectory(directory) ? Optional.of(directory.toRealPath()) : Optional.empty();
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * What the server should fetch for {@code uri}. A version applies only to Git: a directory goes as it is.
     *
     * @throws Arguments.UsageException for a directory with a version
     */
    String serverUri(String uri, String version, Path base) {
        Optional<Path> directory = localDirectory(uri, base);
        if (directory.isEmpty()) {
            return uri;
        }
        if (version != null) {
            throw new Arguments.UsageException("Setting a version is only supported for Git project URIs: the "
                    + "directory " + directory.get() + " is uploaded as it is");
        }
        String stored = uploaded.computeIfAbsent(directory.get(), this::upload);
        return uri.contains("#") ? stored + uri.substring(uri.indexOf('#')) : stored;
    }

    private String upload(Path directory) {
        ProjectArchive archive = ProjectArchive.pack(directory);
        String stored = uploader.apply(directory, archive);
        log.printf("Uploaded %s (%,d bytes) as %s%n", directory, archive.bytes().length, stored);
        return stored;
    }
}
