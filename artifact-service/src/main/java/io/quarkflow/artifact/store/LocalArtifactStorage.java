package io.quarkflow.artifact.store;

import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.mlflow.errors.MlflowException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Artifacts as files under a root directory; every key is resolved through the path validator's symlink check. */
public class LocalArtifactStorage implements ArtifactStorage {

    private final Path root;

    public LocalArtifactStorage(Path root) {
        try {
            this.root = Files.createDirectories(root).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the artifact root " + root, e);
        }
    }

    @Override
    public ArtifactContent read(String key) {
        Path file = ArtifactPathValidator.resolveUnder(root, key);
        try {
            if (!Files.isRegularFile(file)) {
                throw notFound(key);
            }
            return new ArtifactContent(Files.newInputStream(file), Files.size(file));
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Written to a temporary sibling and renamed into place, so readers never see half a file. */
    @Override
    public void write(String key, InputStream content, long size) {
        Path target = ArtifactPathValidator.resolveUnder(root, key);
        requireWritable(target, key);
        Path temporary = target.resolveSibling("." + UUID.randomUUID() + ".upload");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(content, temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    @Override
    public List<StoredEntry> list(String key) {
        Path directory = ArtifactPathValidator.resolveUnder(root, key);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<StoredEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                if (insideRoot(child)) {
                    BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
                    String name = child.getFileName().toString();
                    entries.add(new StoredEntry(name, attributes.isDirectory(), attributes.size()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.comparing(StoredEntry::name));
        return entries;
    }

    /** Symlinks are removed, never followed: deleting a linked directory must not empty its target. */
    @Override
    public void delete(String key) {
        Path target = ArtifactPathValidator.resolveUnder(root, key);
        try {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(target);
                return;
            }
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireWritable(Path target, String key) {
        if (Files.isDirectory(target)) {
            throw MlflowException.invalidParameter("Cannot write '" + key + "': it is a directory");
        }
        for (Path parent = target.getParent(); !parent.equals(root); parent = parent.getParent()) {
            if (Files.exists(parent) && !Files.isDirectory(parent)) {
                throw MlflowException.invalidParameter("Cannot write '" + key + "': a parent is a file");
            }
        }
    }

    /** A listing never reveals a symlink that points outside the root (not even its target's size). */
    private boolean insideRoot(Path child) {
        try {
            return child.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: the upload already failed or succeeded on its own terms.
        }
    }

    private static MlflowException notFound(String key) {
        return MlflowException.notFound("No artifact file at path '" + key + "'");
    }

    @Override
    public String problem() {
        return Files.isDirectory(root) && Files.isWritable(root) ? null
                : "the artifact root " + root + " is not a writable directory";
    }
}
