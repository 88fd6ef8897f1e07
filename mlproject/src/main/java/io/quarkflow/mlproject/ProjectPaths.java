package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Files a project names (its MLproject, its environment file) must be regular files inside its directory. */
final class ProjectPaths {

    private ProjectPaths() {
    }

    /**
     * The file {@code relative} names inside {@code dir}, after checking that neither '..' nor a symbolic link takes
     * it out of {@code dir}.
     *
     * @param missing the message when there is no such file (MLflow's wording for environment files)
     */
    static Path insideFile(Path dir, String relative, String missing) {
        Path given;
        try {
            given = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new ProjectException("Invalid file name " + Python.repr(relative) + ": " + e.getReason());
        }
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve(given).normalize();
        if (relative.isEmpty() || given.isAbsolute() || !file.startsWith(base) || file.equals(base)) {
            throw new ProjectException(Python.repr(relative) + " must be a relative path to a file inside the "
                    + "project directory");
        }
        if (!Files.exists(file)) {
            throw new ProjectException(missing);
        }
        try {
            if (!file.toRealPath().startsWith(base.toRealPath())) {
                throw new ProjectException(Python.repr(relative) + " is a link to outside the project directory");
            }
        } catch (IOException e) {
            throw new ProjectException("Cannot resolve " + Python.repr(relative) + ": " + e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            throw new ProjectException(Python.repr(relative) + " is not a regular file");
        }
        return file;
    }

    /** The normalised path of {@code file} relative to {@code dir}, with '/' separators. */
    static String relative(Path dir, Path file) {
        return dir.toAbsolutePath().normalize().relativize(file).toString().replace('\\', '/');
    }
}
