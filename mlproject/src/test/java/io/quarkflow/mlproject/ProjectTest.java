package io.quarkflow.mlproject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProjectTest {

    @TempDir
    Path dir;

    @Test
    void mlflowsDockerExample() throws IOException {
        copyExample("docker");
        Project project = Project.read(dir);
        assertEquals("docker-example", project.name());
        assertEquals(new Environment.Docker("mlflow-docker-example", List.of(), List.of()), project.environment());
        assertEquals("docker", project.environment().tagValue());
        EntryPoint main = project.entryPoint("main");
        assertEquals(List.of(new Parameter("alpha", "float", null), new Parameter("l1_ratio", "float", "0.1")),
                List.copyOf(main.parameters().values()));
        assertEquals("python train.py --alpha 0.5 --l1-ratio 0.1", main.resolve(Map.of("alpha", "0.5")).command());
    }

    @Test
    void mlflowsMultistepExample() throws IOException {
        copyExample("multistep_workflow");
        Files.writeString(dir.resolve("python_env.yaml"), "python: \"3.10\"\n");
        Project project = Project.read(dir);
        assertEquals("multistep_example", project.name());
        assertEquals(new Environment.Python("python_env.yaml"), project.environment());
        assertEquals("virtualenv", project.environment().tagValue());
        assertEquals(List.of("load_raw_data", "etl_data", "als", "train_keras", "main"),
                List.copyOf(project.entryPoints().keySet()));
        assertEquals(List.of(new Parameter("ratings_data", "path", null), new Parameter("max_iter", "int", "10"),
                        new Parameter("reg_param", "float", "0.1"), new Parameter("rank", "int", "12")),
                List.copyOf(project.entryPoint("als").parameters().values()));
        assertEquals("python main.py --als-max-iter 10 --keras-hidden-units 20 --max-row-limit 100000",
                project.entryPoint("main").resolve(Map.of()).command());
        assertEquals("python load_raw_data.py", project.entryPoint("load_raw_data").resolve(Map.of()).command());
        assertEquals("No value given for missing parameters: 'ratings_data'",
                assertThrows(ProjectException.class, () -> project.entryPoint("als").resolve(Map.of())).getMessage());
    }

    @Test
    void theFileNameIsMatchedCaseInsensitively() throws IOException {
        for (String fileName : List.of("mlproject", "MLProject", "MLPROJECT")) {
            Path project = Files.createDirectory(dir.resolve(fileName + "-dir"));
            Files.writeString(project.resolve(fileName), "name: " + fileName + "\n");
            assertEquals(fileName, Project.read(project).name());
        }
    }

    @Test
    void twoMatchingFileNamesAreAmbiguous() throws IOException {
        Files.writeString(dir.resolve("MLproject"), "name: a\n");
        Files.writeString(dir.resolve("mlproject"), "name: b\n");
        assertThrows(ProjectException.class, () -> Project.read(dir));
    }

    @Test
    void defaultsAreRenderedAsPythonsStrRendersThem() throws IOException {
        // Expected values: str(yaml.safe_load("d: " + value)["d"]) in CPython 3.11 with PyYAML 6.
        Map<String, String> expected = Map.ofEntries(Map.entry("0.1", "0.1"), Map.entry("5", "5"),
                Map.entry("true", "True"), Map.entry("no", "False"), Map.entry("1.0", "1.0"), Map.entry("1e3", "1e3"),
                Map.entry("1.5e+3", "1500.0"), Map.entry("0.00001", "1e-05"), Map.entry("0x10", "16"),
                Map.entry("012", "10"), Map.entry("1_000", "1000"), Map.entry(".inf", "inf"),
                Map.entry("-.inf", "-inf"),
                Map.entry(".nan", "nan"), Map.entry("2024-01-31", "2024-01-31"), Map.entry("'5'", "5"),
                Map.entry("1.", "1.0"), Map.entry("-0.0", "-0.0"),
                Map.entry("12345678901234567890", "12345678901234567890"),
                Map.entry("1:20", "80"), Map.entry("hello world", "hello world"));
        for (Map.Entry<String, String> value : expected.entrySet()) {
            Files.writeString(dir.resolve("MLproject"), """
                    entry_points:
                      main:
                        parameters:
                          p: {type: string, default: %s}
                        command: "echo {p}"
                    """.formatted(value.getKey()));
            assertEquals(value.getValue(), Project.read(dir).entryPoint("main").parameters().get("p").defaultValue(),
                    value.getKey());
        }
    }

    @Test
    void parameterSpecs() throws IOException {
        Files.writeString(dir.resolve("MLproject"), """
                entry_points:
                  main:
                    parameters:
                      bare: float
                      typed: {type: path}
                      untyped: {default: x}
                      nulled: {type: string, default: null}
                    command: "run {bare} {typed} {untyped} {nulled}"
                """);
        EntryPoint main = Project.read(dir).entryPoint("main");
        assertEquals(List.of(new Parameter("bare", "float", null), new Parameter("typed", "path", null),
                        new Parameter("untyped", "string", "x"), new Parameter("nulled", "string", null)),
                List.copyOf(main.parameters().values()));
        assertEquals("No value given for missing parameters: 'bare', 'typed', 'nulled'",
                assertThrows(ProjectException.class, () -> main.resolve(Map.of())).getMessage());
    }

    @Test
    void malformedEntryPointsAreRefused() throws IOException {
        for (String entryPoints : List.of("main: run", "main: {parameters: {a: float}}", "main: {command: 5}",
                "main: {command: x, parameters: [a]}", "main: {command: x, parameters: {a: 5}}",
                "main: {command: x, parameters: {a: {type: string, default: [1]}}}",
                "main: {command: x, parameters: {1: float}}")) {
            Files.writeString(dir.resolve("MLproject"), "entry_points:\n  " + entryPoints + "\n");
            assertThrows(ProjectException.class, () -> Project.read(dir), entryPoints);
        }
    }

    @Test
    void invalidYamlAndUnsafeTagsAreRefused() throws IOException {
        for (String text : List.of("name: [unclosed", "- a list", "just text",
                "name: !!python/object/apply:os.system ['id']", "name: !!java.io.File ['/etc']")) {
            Files.writeString(dir.resolve("MLproject"), text + "\n");
            assertThrows(ProjectException.class, () -> Project.read(dir), text);
        }
    }

    @Test
    void anEmptyFileIsAnEmptyProject() throws IOException {
        Files.writeString(dir.resolve("MLproject"), "");
        Project project = Project.read(dir);
        assertNull(project.name());
        assertEquals(Map.of(), project.entryPoints());
    }

    @Test
    void anMlprojectLinkedFromOutsideIsRefused() throws IOException {
        Path outside = Files.writeString(Files.createTempFile("outside", "MLproject"), "name: secret\n");
        try {
            Files.createSymbolicLink(dir.resolve("MLproject"), outside);
            assertThrows(ProjectException.class, () -> Project.read(dir));
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void scriptsRunByTheirExtension() {
        Project project = Project.read(dir);
        assertEquals(new EntryPoint("train.py", Map.of(), "python train.py"), project.entryPoint("train.py"));
        assertEquals("bash scripts/run.sh", project.entryPoint("scripts/run.sh").command());
        assertEquals("python 'my train.py'", project.entryPoint("my train.py").command());
        assertEquals("python 'a;id.py'", project.entryPoint("a;id.py").command());
        assertEquals("bash x.sh --alpha 1", project.entryPoint("x.sh").resolve(Map.of("alpha", "1")).command());
    }

    @Test
    void otherNamesGetMlflowsMessage() throws IOException {
        copyExample("docker");
        Project project = Project.read(dir);
        for (String name : List.of("train", "train.R", "train.PY", ".py", "a/.sh", "run.sh.txt")) {
            assertEquals("Could not find " + name + " among entry points ['main'] or interpret " + name + " as a "
                            + "runnable script. Supported script file extensions: ['.py', '.sh']",
                    assertThrows(ProjectException.class, () -> project.entryPoint(name)).getMessage());
        }
    }

    @Test
    void scriptNamesThatCouldBeOptionsOrLeaveTheProjectAreRefused() {
        Project project = Project.read(dir);
        for (String name : List.of("-c.py", "-cimport os;os.system('id');.py", "--x.sh", "/etc/x.sh", "../x.py",
                "a/../../x.py", "a\\b.py", "a\nb.py")) {
            assertThrows(ProjectException.class, () -> project.entryPoint(name), name);
        }
    }

    @Test
    void aMissingDirectoryIsRefused() {
        assertThrows(ProjectException.class, () -> Project.read(dir.resolve("missing")));
    }

    private void copyExample(String example) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/examples/" + example + "/MLproject")) {
            Files.copy(in, dir.resolve("MLproject"));
        }
    }
}
