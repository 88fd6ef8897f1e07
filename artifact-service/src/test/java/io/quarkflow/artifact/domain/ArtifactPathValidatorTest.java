package io.quarkflow.artifact.domain;

import io.quarkflow.artifact.TraversalShapes;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArtifactPathValidatorTest {

    /** Every shape the artifact API tests send, plus some only a unit test can express. */
    static Stream<String> hostilePaths() {
        return Stream.concat(TraversalShapes.ENCODED.stream(), Stream.of(
                "..\\secret.txt", "a\\b", "\\\\server\\share", "C:\\Windows\\win.ini", "c:secret",
                "a#b", "a;b", "..;/secret.txt", "a\u0000b", "a\nb", "a\rb", "a\u007fb",
                "\uff0e\uff0e/secret.txt", "\uff0e\uff0e\uff0fsecret.txt", "a\uff3c..\uff3csecret.txt",
                "%" + "25".repeat(11) + "2e", "a//b", "/", "//", "a/./b", "./a", ". /a", "a/...", "a/.. ", "a/ .."));
    }

    @ParameterizedTest
    @MethodSource("hostilePaths")
    void refusesEveryTraversalShape(String path) {
        MlflowException e = assertThrows(MlflowException.class, () -> ArtifactPathValidator.validate(path));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
        // MLflow's message, word for word (its REST suite compares the whole error body), without the path.
        assertEquals("Invalid path", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a|a",
        "a/b.txt|a/b.txt",
        "a/b/|a/b",
        "dir/file with space.txt|dir/file with space.txt",
        "a%20b|a b",
        "a%2520b|a b",
        "%C3%A9t%C3%A9.txt|été.txt",
        "100%.txt|100%.txt",
        "a%zz|a%zz",
        "a..b/..c/...d|a..b/..c/...d",
        "2024-01-01T10:00:00/plot.png|2024-01-01T10:00:00/plot.png",
        "model/v1:latest|model/v1:latest",
        "MLmodel|MLmodel"})
    void decodesAndKeepsSafePaths(String raw, String expected) {
        assertEquals(expected, ArtifactPathValidator.validate(raw));
    }

    @Test
    void anAbsentPathIsTheRootOnlyWhereOptional() {
        assertEquals("", ArtifactPathValidator.validateOptional(null));
        assertEquals("", ArtifactPathValidator.validateOptional(""));
        assertThrows(MlflowException.class, () -> ArtifactPathValidator.validate(""));
        assertThrows(MlflowException.class, () -> ArtifactPathValidator.validate(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a%2Fb", "..", "%2e%2e", "C:model.bin", ""})
    void aFileNameIsOneSafeSegment(String name) {
        assertThrows(MlflowException.class, () -> ArtifactPathValidator.validateFileName(name));
    }

    @Test
    void resolvesInsideTheRoot(@TempDir Path base) throws IOException {
        Path root = Files.createDirectories(base.resolve("root"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

        assertEquals(root.toRealPath().resolve("new/dir/file.bin"),
                ArtifactPathValidator.resolveUnder(root, "new/dir/file.bin"));
        assertEquals(root.toRealPath().resolve("alias/file.bin"),
                ArtifactPathValidator.resolveUnder(root, "alias/file.bin"));
        assertEquals(root.toRealPath(), ArtifactPathValidator.resolveUnder(root, ""));
    }

    @Test
    void refusesSymlinksThatLeaveTheRoot(@TempDir Path base) throws IOException {
        Path root = Files.createDirectories(base.resolve("root"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), base.resolve("nowhere"));

        for (String path : new String[] {"escape", "escape/secret.txt", "escape/new.txt", "escape/new/dir/x",
            "secret.txt", "dangling", "dangling/x"}) {
            assertThrows(MlflowException.class, () -> ArtifactPathValidator.resolveUnder(root, path), path);
        }
    }
}
