package io.quarkflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quarkflow run}'s command line, read into the submit request, and what wrong input gets. */
class RunCommandTest {

    @TempDir
    Path base;

    @Test
    void everyShortOptionReachesTheRequest() {
        RunCommand.Submission submission = RunCommand.parse(List.of("https://github.com/mlflow/mlflow-example",
                "-e", "train", "-v", "master", "-P", "alpha=0.5", "-P", "l1_ratio=0.1", "-b", "kubernetes",
                "-c", "{\"namespace\": \"ml\"}", "--experiment-name", "wine", "--run-name", "first"), base);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("uri", "https://github.com/mlflow/mlflow-example");
        expected.put("version", "master");
        expected.put("entry_point", "train");
        expected.put("parameters", Map.of("alpha", "0.5", "l1_ratio", "0.1"));
        expected.put("experiment_name", "wine");
        expected.put("run_name", "first");
        expected.put("backend", "kubernetes");
        expected.put("backend_config", Map.of("namespace", "ml"));
        assertEquals(expected, submission.body(submission.uri()));
        assertFalse(submission.detach());
    }

    @Test
    void longOptionsWithOrWithoutEqualsAndAttachedShortValues() {
        RunCommand.Submission submission = RunCommand.parse(List.of("--entry-point=main", "--version", "v1",
                "--param-list=a=1=2", "-Pb=", "--experiment-id", "7", "--backend=local", "--detach", "git@host:x/y"),
                base);

        assertEquals("git@host:x/y", submission.uri());
        assertEquals("main", submission.entryPoint());
        assertEquals("v1", submission.version());
        assertEquals(Map.of("a", "1=2", "b", ""), submission.parameters(), "split at the first '='");
        assertEquals(List.of("a", "b"), List.copyOf(submission.parameters().keySet()), "in the order given");
        assertEquals("7", submission.experimentId());
        assertEquals("local", submission.backend());
        assertTrue(submission.detach());
        Map<String, Object> body = submission.body("mlflow-artifacts:/p.tar.gz");
        assertEquals("mlflow-artifacts:/p.tar.gz", body.get("uri"));
        assertFalse(body.containsKey("backend_config"), "no config given, none sent");
        assertFalse(body.containsKey("run_name"));
    }

    @Test
    void theConfigsBackendIsTakenAndABackendOptionWins() {
        RunCommand.Submission fromConfig = RunCommand.parse(List.of(".", "-c",
                "{\"backend\": \"local\", \"SYNCHRONOUS\": true, \"kube-context\": \"x\"}"), base);
        Map<String, Object> body = fromConfig.body(".");
        assertEquals("local", body.get("backend"));
        assertFalse(body.containsKey("backend_config"), "MLflow's keys and backend are not the backend's config");

        RunCommand.Submission overridden = RunCommand.parse(List.of(".", "-b", "kubernetes", "-c",
                "{\"backend\": \"local\", \"namespace\": \"ml\"}"), base);
        Map<String, Object> both = overridden.body(".");
        assertEquals("kubernetes", both.get("backend"));
        assertEquals(Map.of("namespace", "ml"), both.get("backend_config"));
    }

    @Test
    void aBackendConfigFileIsReadAndItsJobTemplateSentAsText() throws IOException {
        Files.writeString(base.resolve("job.yaml"), "apiVersion: batch/v1\nkind: Job\n");
        Files.writeString(base.resolve("config.json"),
                "{\"backend\": \"kubernetes\", \"kube-job-template-path\": \"job.yaml\", \"resources\": {\"cpu\": 2}}");
        RunCommand.Submission submission = RunCommand.parse(List.of(".", "--backend-config", "config.json"), base);

        Map<String, Object> body = submission.body(".");
        assertEquals("kubernetes", body.get("backend"));
        assertEquals(Map.of("kube-job-template", "apiVersion: batch/v1\nkind: Job\n", "resources", Map.of("cpu", 2)),
                body.get("backend_config"));
    }

    @Test
    void wrongBackendConfigsAreUsageErrors() {
        assertUsage("Invalid backend config JSON", ".", "-c", "{not json");
        assertUsage("Invalid backend config JSON", ".", "-c", "[1, 2]");
        assertUsage("Cannot read the backend config", ".", "-c", "missing.json");
        assertUsage("Cannot read the Job template", ".", "-c", "{\"kube-job-template-path\": \"missing.yaml\"}");
    }

    @Test
    void wrongCommandLinesAreUsageErrors() {
        assertUsage("Missing argument <uri>");
        assertUsage("Unexpected argument: two", "one", "two");
        assertUsage("No such option: --bogus", ".", "--bogus");
        assertUsage("No such option: -x", ".", "-x");
        assertUsage("No such option: --detach=yes", ".", "--detach=yes");
        assertUsage("Option -e requires a value", ".", "-e");
        assertUsage("Invalid format for -P parameter: 'alpha'. Use -P name=value.", ".", "-P", "alpha");
        assertUsage("Invalid format for -P parameter: '=1'", ".", "-P", "=1");
        assertUsage("Repeated parameter: 'alpha'", ".", "-P", "alpha=1", "-P", "alpha=2");
        assertUsage("Specify only one of --experiment-name and --experiment-id", ".", "--experiment-name", "a",
                "--experiment-id", "1");
    }

    @Test
    void wrongInputExitsWithTwoAndTheUsageOnStandardError() {
        for (List<String> args : List.of(List.of("run", ".", "--bogus"), List.of("run"), List.of("nonsense"),
                List.of("runs", "--max-results", "0"), List.of("runs", "extra"), List.of("logs", "r", "--tail", "-1"),
                List.of("cancel"), List.of("workflow"), List.of("workflow", "rerun"),
                List.of("workflow", "run", "missing.yaml"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(args, Map.of(), null, base, new PrintStream(out), new PrintStream(err));
            assertEquals(2, code, args.toString());
            assertEquals("", out.toString(StandardCharsets.UTF_8), args.toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: quarkflow"), args.toString());
        }
    }

    @Test
    void helpAndNoArgumentsPrintTheUsage() {
        for (List<String> args : List.of(List.<String>of(), List.of("help"), List.of("--help"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, Main.run(args, Map.of(), null, base, new PrintStream(out), System.err));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: quarkflow"));
        }
    }

    @Test
    void aVersionWithADirectoryIsRefusedBeforeAnythingIsUploaded() {
        ProjectUpload upload = new ProjectUpload((directory, archive) -> {
            throw new AssertionError("uploaded " + directory);
        }, System.err);
        Arguments.UsageException refused = assertThrows(Arguments.UsageException.class,
                () -> upload.serverUri(".", "main", base));
        assertTrue(refused.getMessage().startsWith("Setting a version is only supported for Git project URIs"));
        assertEquals("https://github.com/x/y#sub", upload.serverUri("https://github.com/x/y#sub", "main", base));
    }

    private void assertUsage(String message, String... args) {
        Arguments.UsageException e = assertThrows(Arguments.UsageException.class,
                () -> RunCommand.parse(List.of(args), base));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
