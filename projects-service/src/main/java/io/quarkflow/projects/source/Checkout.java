package io.quarkflow.projects.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A project as fetched to read its MLproject.
 *
 * @param projectDir the project's directory (the checkout's subdirectory when one was named)
 * @param commit     the Git commit it is at; null for a directory that is no Git repository
 * @param branch     the version when it names a branch of the remote (MLflow tags the run with it); else null
 * @param copy       the fetched copy to delete once read; null when the project was read in place
 * @param archiveSha256 an archive's content digest (hex); null for anything else
 */
public record Checkout(Path projectDir, String commit, String branch, Path copy, String archiveSha256)
        implements AutoCloseable {

    /** A project of Git or a directory. */
    public Checkout(Path projectDir, String commit, String branch, Path copy) {
        this(projectDir, commit, branch, copy, null);
    }

    @Override
    public void close() {
        if (copy == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + copy, e);
        }
    }
}
