package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow file as it is sent, the command line of {@code workflow run}, and the lines it prints. */
class WorkflowTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path temp;

    private final List<Path> uploads = new ArrayList<>();
    private final ProjectUpload upload = new ProjectUpload((directory, archive) -> {
        uploads.add(directory);
        return "mlflow-artifacts:/projects/sha256-" + archive.sha256() + "/" + directory.getFileName() + ".tar.gz";
    }, QUIET);

    @Test
    void scalarsAreSentAsWrittenExceptTheBackendConfigs() throws IOException {
        Path file = Files.writeString(temp.resolve("flow.yaml"), """
                name: pipeline
                uri: https://github.com/mlflow/mlflow-example
                version: 1.10
                reuse: false
                parameters: {alpha: 0.10, rate: 1e-3, epochs: 5, flag: true, empty: ~, reuse: yes}
                backend_config: {resources: {limits: {cpu: 2}}, privileged: false}
                steps:
                  - name: train
                    backend_config: {ttl: 60}
                    parameters:
                      alpha: ${parameters.alpha}
                      seed: 42
                      quoted: "7"
                  - name: evaluate
                    depends_on: [train]
                    parameters: {model: "${steps.train.artifact_uri}/model", loss: "${steps.train.metrics.loss}"}
                """);
        ObjectNode spec = WorkflowSpec.load(file);

        assertEquals(json("""
                {"alpha": "0.10", "rate": "1e-3", "epochs": "5", "flag": "true", "empty": null, "reuse": "yes"}"""),
                spec.get("parameters"));
        assertEquals(json("\"1.10\""), spec.get("version"), "a version is text, whatever it looks like");
        assertEquals(json("false"), spec.get("reuse"));
        assertEquals(json("{\"ttl\": 60}"), spec.at("/steps/0/backend_config"));
        assertEquals(json("""
                {"resources": {"limits": {"cpu": 2}}, "privileged": false}"""), spec.get("backend_config"));
        assertEquals(json("""
                {"alpha": "${parameters.alpha}", "seed": "42", "quoted": "7"}"""), spec.at("/steps/0/parameters"));
        assertEquals(json("""
                {"model": "${steps.train.artifact_uri}/model", "loss": "${steps.train.metrics.loss}"}"""),
                spec.at("/steps/1/parameters"), "references are the server's to resolve");
        assertEquals(json("[\"train\"]"), spec.at("/steps/1/depends_on"));
        assertEquals(spec, WorkflowSpec.withUploadedProjects(spec, temp, upload), "no directory, nothing changed");
        assertEquals(List.of(), uploads);
    }

    @Test
    void localProjectsAreUploadedOnceEachRelativeToTheFile() throws IOException {
        Path flows = Files.createDirectories(temp.resolve("flows"));
        Files.createDirectories(temp.resolve("projects/prep"));
        Files.writeString(temp.resolve("projects/prep/MLproject"), "name: prep\n");
        Files.createDirectories(temp.resolve("projects/train/sub"));
        Files.writeString(temp.resolve("projects/train/sub/MLproject"), "name: train\n");
        Path file = Files.writeString(flows.resolve("flow.yaml"), """
                name: pipeline
                uri: ../projects/prep
                steps:
                  - name: prep
                  - name: prep-again
                    uri: ../projects/prep
                  - name: train
                    uri: ../projects/train#sub
                  - name: remote
                    uri: https://github.com/mlflow/mlflow-example
                    version: master
                  - name: absent
                    uri: ../projects/none
                """);

        ObjectNode spec = WorkflowSpec.withUploadedProjects(WorkflowSpec.load(file), file.getParent(), upload);
        assertEquals(List.of(temp.resolve("projects/prep").toRealPath(), temp.resolve("projects/train").toRealPath()),
                uploads, "each directory once");
        String prep = spec.get("uri").asText();
        assertTrue(prep.matches("mlflow-artifacts:/projects/sha256-[0-9a-f]{64}/prep\\.tar\\.gz"), prep);
        assertEquals(prep, spec.at("/steps/1/uri").asText());
        assertTrue(spec.at("/steps/2/uri").asText().endsWith("/train.tar.gz#sub"), spec.toString());
        assertEquals("https://github.com/mlflow/mlflow-example", spec.at("/steps/3/uri").asText());
        assertEquals("../projects/none", spec.at("/steps/4/uri").asText(), "not a directory: the server's to judge");
    }

    @Test
    void aLocalProjectWithAVersionIsRefused() throws IOException {
        Files.createDirectories(temp.resolve("project"));
        Path file = Files.writeString(temp.resolve("flow.yaml"), """
                name: pipeline
                steps: [{name: a, uri: project, version: main}]
                """);
        assertThrows(Arguments.UsageException.class,
                () -> WorkflowSpec.withUploadedProjects(WorkflowSpec.load(file), temp, upload));
    }

    @Test
    void filesThatAreNoMappingAreUsageErrors() throws IOException {
        assertThrows(Arguments.UsageException.class, () -> WorkflowSpec.load(temp.resolve("missing.yaml")));
        Path list = Files.writeString(temp.resolve("list.yaml"), "- a\n- b\n");
        assertThrows(Arguments.UsageException.class, () -> WorkflowSpec.load(list));
        Path broken = Files.writeString(temp.resolve("broken.yaml"), "name: [unclosed\n");
        assertThrows(Arguments.UsageException.class, () -> WorkflowSpec.load(broken));
    }

    @Test
    void theCommandLineBecomesTheSubmitRequest() throws IOException {
        WorkflowCommand.Submission submission = WorkflowCommand.parseRun(List.of("flows/flow.yaml",
                "--experiment-name", "wine", "--run-name", "nightly", "-P", "alpha=0.5", "--param-list=epochs=3",
                "--detach"), temp);
        assertEquals(temp.resolve("flows/flow.yaml"), submission.file());
        assertTrue(submission.detach());
        ObjectNode spec = (ObjectNode) json("{\"name\": \"p\", \"steps\": []}");
        assertEquals(json("""
                {"workflow": {"name": "p", "steps": []}, "experiment_name": "wine", "run_name": "nightly",
                 "parameters": {"alpha": "0.5", "epochs": "3"}}"""),
                ProjectsApi.JSON.valueToTree(submission.body(spec)));

        WorkflowCommand.Submission plain = WorkflowCommand.parseRun(List.of("f.yaml", "--experiment-id", "3"), temp);
        assertEquals(json("{\"workflow\": {\"name\": \"p\", \"steps\": []}, \"experiment_id\": \"3\"}"),
                ProjectsApi.JSON.valueToTree(plain.body(spec)));

        for (List<String> wrong : List.of(List.<String>of(), List.of("a.yaml", "b.yaml"), List.of("a.yaml", "-b", "x"),
                List.of("a.yaml", "--experiment-id", "1", "--experiment-name", "n"), List.of("a.yaml", "-P", "x"))) {
            assertThrows(Arguments.UsageException.class, () -> WorkflowCommand.parseRun(wrong, temp), wrong.toString());
        }
    }

    @Test
    void oneLinePerStepStatusChange() throws IOException {
        Map<String, String> seen = new HashMap<>();
        assertEquals(List.of("step prep: PENDING", "step train: PENDING"), WorkflowCommand.changes(seen, json("""
                {"status": "RUNNING", "steps": [{"name": "prep", "status": "PENDING", "reused": false},
                                                {"name": "train", "status": "PENDING", "reused": false}]}""")));
        assertEquals(List.of("step prep: FINISHED (reused run r1)", "step train: RUNNING (run r2)"),
                WorkflowCommand.changes(seen, json("""
                {"status": "RUNNING", "steps": [{"name": "prep", "status": "FINISHED", "run_id": "r1", "reused": true},
                                                {"name": "train", "status": "RUNNING", "run_id": "r2"}]}""")));
        assertEquals(List.of(), WorkflowCommand.changes(seen, json("""
                {"status": "RUNNING", "steps": [{"name": "prep", "status": "FINISHED", "run_id": "r1", "reused": true},
                                                {"name": "train", "status": "RUNNING", "run_id": "r2"}]}""")),
                "nothing new, nothing printed");
        assertEquals(List.of("step train: FAILED (run r2): exit code 3"), WorkflowCommand.changes(seen, json("""
                {"status": "FAILED", "steps": [{"name": "prep", "status": "FINISHED", "run_id": "r1", "reused": true},
                                               {"name": "train", "status": "FAILED", "run_id": "r2",
                                                "failure_reason": "exit code 3"}]}""")));
    }

    private static JsonNode json(String text) throws IOException {
        return ProjectsApi.JSON.readTree(text);
    }
}
