package io.quarkflow.mlproject;

import io.quarkflow.mlproject.Environment.EnvVar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker_env, python_env, conda_env and the convention files, as MLflow's load_project validates them. */
class ProjectEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void multipleEnvironmentFieldsAreRefused() throws IOException {
        Files.writeString(dir.resolve("conda.yaml"), "name: x\n");
        Files.writeString(dir.resolve("MLproject"), "docker_env: {image: img}\nconda_env: conda.yaml\n");
        assertEquals("Project cannot contain multiple environment fields: {'docker_env', 'conda_env'}",
                assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage());
        Files.writeString(dir.resolve("MLproject"), "python_env: p.yaml\ndocker_env:\n");
        assertTrue(assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage()
                .startsWith("Project cannot contain multiple environment fields"));
    }

    @Test
    void dockerEnvNeedsAnImage() throws IOException {
        for (String dockerEnv : List.of("docker_env: {volumes: [\"/a:/b\"]}", "docker_env:",
                "docker_env: {image: \"\"}", "docker_env: image-name")) {
            Files.writeString(dir.resolve("MLproject"), dockerEnv + "\n");
            assertEquals("Project configuration (MLproject file) was invalid: Docker environment specified but no "
                    + "image attribute found.",
                    assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage());
        }
    }

    @Test
    void dockerEnvVolumesAndEnvironmentInBothForms() throws IOException {
        Files.writeString(dir.resolve("MLproject"), """
                name: docker-example
                docker_env:
                  image: registry.example.com/team/train:1.2
                  volumes: ["/local/path:/container/mount/path", "/data:/data:ro"]
                  environment: [["NEW_ENV_VAR", "new_var_value"], "VAR_TO_COPY", [COUNT, 3], [FLAG, yes]]
                """);
        assertEquals(new Environment.Docker("registry.example.com/team/train:1.2",
                List.of("/local/path:/container/mount/path", "/data:/data:ro"),
                List.of(new EnvVar("NEW_ENV_VAR", "new_var_value"), new EnvVar("VAR_TO_COPY", null),
                        new EnvVar("COUNT", "3"), new EnvVar("FLAG", "True"))), Project.read(dir).environment());
    }

    @Test
    void malformedVolumesAndEnvironmentGetMlflowsMessages() throws IOException {
        for (String volumes : List.of("/a:/b", "[1]", "[[\"/a\", \"/b\"]]", "{a: b}")) {
            Files.writeString(dir.resolve("MLproject"), "docker_env: {image: img, volumes: " + volumes + "}\n");
            assertTrue(assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage()
                    .contains("Docker volumes must be a list of strings"), volumes);
        }
        for (String environment : List.of("FOO", "[1]", "[[A]]", "[[A, b, c]]", "[[1, b]]", "[\"A=B\"]", "[\"\"]",
                "[[A, [b]]]", "[\"A\\nB\"]", "[[yes, b]]", "{A: b}")) {
            Files.writeString(dir.resolve("MLproject"), "docker_env: {image: img, environment: " + environment + "}\n");
            assertTrue(assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage()
                    .contains("environment must be a list containing either strings"), environment);
        }
    }

    @Test
    void environmentFilesMustExistInsideTheProject() throws IOException {
        Files.createDirectories(dir.resolve("envs"));
        Files.writeString(dir.resolve("envs/python_env.yaml"), "python: \"3.11\"\n");
        Files.writeString(dir.resolve("MLproject"), "python_env: ./envs/../envs/python_env.yaml\n");
        assertEquals(new Environment.Python("envs/python_env.yaml"), Project.read(dir).environment());

        Files.writeString(dir.resolve("MLproject"), "conda_env: missing.yaml\n");
        assertEquals("Project specified conda environment file " + dir.resolve("missing.yaml") + ", but no such file "
                + "was found.", assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage());
        Files.writeString(dir.resolve("MLproject"), "python_env: missing.yaml\n");
        assertEquals("Project specified python_env file " + dir.resolve("missing.yaml") + ", but no such file was "
                + "found.", assertThrows(ProjectException.class, () -> Project.read(dir)).getMessage());

        Path outside = Files.writeString(Files.createTempFile("outside", ".yaml"), "python: \"3.11\"\n");
        try {
            Files.createSymbolicLink(dir.resolve("linked.yaml"), outside);
            for (String file : List.of("../" + dir.getFileName() + "/../" + outside.getFileName(), outside.toString(),
                    "linked.yaml", "envs", "", "5", "a\\0b", "/etc/passwd")) {
                Files.writeString(dir.resolve("MLproject"), "python_env: \"" + file + "\"\n");
                assertThrows(ProjectException.class, () -> Project.read(dir), file);
            }
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void conventionsWithoutAnMlprojectFile() throws IOException {
        Project bare = Project.read(dir);
        assertNull(bare.name());
        assertEquals(new Environment.Local(), bare.environment());
        assertEquals("local", bare.environment().tagValue());
        assertEquals(Map.of(), bare.entryPoints());

        Files.writeString(dir.resolve("conda.yaml"), "name: x\n");
        assertEquals(new Environment.Conda("conda.yaml"), Project.read(dir).environment());
        assertEquals("conda", Project.read(dir).environment().tagValue());
        Files.writeString(dir.resolve("python_env.yaml"), "python: \"3.11\"\n");
        assertEquals(new Environment.Python("python_env.yaml"), Project.read(dir).environment());
    }

    @Test
    void theDeclaredEnvironmentWinsOverConventionFiles() throws IOException {
        Files.writeString(dir.resolve("python_env.yaml"), "python: \"3.11\"\n");
        Files.writeString(dir.resolve("environment.yml"), "name: x\n");
        Files.writeString(dir.resolve("MLproject"), "conda_env: environment.yml\n");
        assertEquals(new Environment.Conda("environment.yml"), Project.read(dir).environment());
    }
}
