package io.quarkflow.launcher.local;

import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.FakeTracking;
import io.quarkflow.launcher.ProjectRuns;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The local backend with real processes, real git and a real Kafka broker; tracking-service is faked. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class LocalBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LOGS = "/api/2.0/quarkflow/launcher/runs/logs";

    @TempDir
    Path dir;

    @Inject
    LocalReconciler reconciler;

    @Inject
    LocalLauncher launcher;

    private ProjectRuns kafka;

    @BeforeEach
    void connect() {
        kafka = new ProjectRuns();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aProjectRunsInItsDirectoryWithMlflowsVariablesAndFinishes() throws IOException {
        Path project = project();
        String runId = scheduled();
        kafka.send(request(runId, local(project), "echo \"run $MLFLOW_RUN_ID in experiment $MLFLOW_EXPERIMENT_ID,"
                + " token $MLFLOW_TRACKING_TOKEN, request $FROM_REQUEST\" && echo written > result.txt", null));

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FINISHED"));
        assertEquals("written\n", Files.readString(project.resolve("result.txt")));
        assertEquals(List.of("RUNNING", "FINISHED"), FakeTracking.updates(runId));
        assertTrue(FakeTracking.tags(runId).get("quarkflow.project.process").matches("\\d+"));
        given().queryParam("run_id", runId).when().get(LOGS)
                .then().statusCode(200).body(equalTo("run " + runId + " in experiment 1, token test-token,"
                        + " request yes\n"));
    }

    @Test
    void aNonZeroExitFailsTheRunWithItsCodeAndOutput() throws IOException {
        String runId = scheduled();
        kafka.send(request(runId, local(project()), "echo 'Traceback: bad alpha' >&2; exit 3", null));

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
        String reason = FakeTracking.tags(runId).get("quarkflow.project.failure");
        assertTrue(reason.startsWith("exit code 3"), reason);
        assertTrue(reason.contains("Traceback: bad alpha"), reason);
    }

    /** As MLflow's client does when the code in {@code with mlflow.start_run()} raises: FAILED, then the exit. */
    @Test
    void aRunThatFailedItselfStillGetsItsExitCodeAndOutput() throws IOException {
        String runId = scheduled();
        kafka.send(request(runId, local(project()), "curl -sf -H 'Content-Type: application/json' "
                + "\"$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/update\" -d '{\"run_id\": \"'$MLFLOW_RUN_ID'\", "
                + "\"status\": \"FAILED\"}' > /dev/null; echo 'ValueError: r2 too low' >&2; exit 1", null));

        // The tag and the final status are two calls: wait for both (the launcher's RUNNING may arrive after the
        // run's own FAILED, and the launcher's FAILED at the exit settles it).
        await().atMost(WAIT).until(() -> FakeTracking.tags(runId).containsKey("quarkflow.project.failure")
                && FakeTracking.status(runId).equals("FAILED"));
        String reason = FakeTracking.tags(runId).get("quarkflow.project.failure");
        assertTrue(reason.startsWith("exit code 1"), reason);
        assertTrue(reason.contains("ValueError: r2 too low"), reason);
    }

    @Test
    void cancelStopsTheWholeProcessTree() throws IOException {
        Path project = project();
        String runId = scheduled();
        kafka.send(request(runId, local(project), "sleep 300 & echo $! > grandchild.pid; echo started; wait", null));
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("RUNNING")
                && Files.exists(project.resolve("grandchild.pid"))
                && !Files.readString(project.resolve("grandchild.pid")).isBlank());
        long grandchild = Long.parseLong(Files.readString(project.resolve("grandchild.pid")).strip());
        assertTrue(running(grandchild));

        kafka.cancel(runId, ProjectRunRequest.LOCAL);

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("KILLED"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !running(grandchild));
        assertEquals(List.of("RUNNING", "KILLED"), FakeTracking.updates(runId), "the kill is no failure");
    }

    @Test
    void theLogsEndpointTailsAndFollows() throws IOException {
        String runId = scheduled();
        kafka.send(request(runId, local(project()), "printf 'one\\ntwo\\nthree\\n'", null));
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FINISHED"));

        given().queryParam("run_id", runId).queryParam("tail", 2).when().get(LOGS)
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/plain"))
                .body(equalTo("two\nthree\n"));
        given().queryParam("run_id", runId).queryParam("follow", true).when().get(LOGS)
                .then().statusCode(200).body(equalTo("one\ntwo\nthree\n"));
        given().queryParam("run_id", runId).queryParam("tail", -1).when().get(LOGS)
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().queryParam("run_id", "../../etc").when().get(LOGS)
                .then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void followStreamsWhileTheRunWrites() throws IOException {
        String runId = scheduled();
        kafka.send(request(runId, local(project()), "echo first; sleep 1; echo second", null));
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("RUNNING"));

        given().queryParam("run_id", runId).queryParam("follow", true).when().get(LOGS)
                .then().statusCode(200).body(equalTo("first\nsecond\n"));
    }

    @Test
    void aGitSourceIsClonedAtItsCommit() throws Exception {
        Path repository = dir.resolve("repo");
        Files.createDirectories(repository.resolve("models"));
        git(repository, "init", "-q");
        Files.writeString(repository.resolve("models/MLproject"), "name: demo\n");
        Files.writeString(repository.resolve("models/version.txt"), "first\n");
        git(repository, "add", ".");
        git(repository, "commit", "-q", "-m", "first");
        String first = git(repository, "rev-parse", "HEAD");
        Files.writeString(repository.resolve("models/version.txt"), "second\n");
        git(repository, "commit", "-q", "-am", "second");

        String runId = scheduled();
        kafka.send(request(runId, new ProjectRunRequest.Source("git", repository.toString(), first, "models"),
                "cat version.txt", null));

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FINISHED"));
        given().queryParam("run_id", runId).when().get(LOGS).then().statusCode(200).body(equalTo("first\n"));
    }

    @Test
    void anArchiveIsDownloadedThroughTheGatewayAndUnpacked() throws Exception {
        Path content = dir.resolve("archive-content");
        Files.createDirectories(content.resolve("demo"));
        Files.writeString(content.resolve("demo/MLproject"), "name: demo\n");
        Path archive = dir.resolve("project.tar.gz");
        run(content, "tar", "-czf", archive.toString(), "demo");
        FakeTracking.putArtifact("projects/project.tar.gz", Files.readAllBytes(archive));

        String runId = scheduled();
        kafka.send(request(runId, new ProjectRunRequest.Source("archive", "mlflow-artifacts:/projects/project.tar.gz",
                null, "demo"), "cat MLproject", null));

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FINISHED"));
        given().queryParam("run_id", runId).when().get(LOGS).then().statusCode(200).body(equalTo("name: demo\n"));
    }

    @Test
    void aVirtualenvPutsItsPythonFirst() throws IOException {
        Path project = project();
        Files.writeString(project.resolve("python_env.yaml"), "python: \"3\"\ndependencies: []\n");
        String runId = scheduled();
        kafka.send(request(runId, local(project), "python -c 'import sys; print(sys.prefix)'",
                new ProjectRunRequest.Environment("virtualenv", null, null, null, "python_env.yaml")));

        await().atMost(Duration.ofSeconds(60)).until(() -> !FakeTracking.status(runId).equals("SCHEDULED")
                && !FakeTracking.status(runId).equals("RUNNING"));
        assertEquals("FINISHED", FakeTracking.status(runId), FakeTracking.tags(runId).toString());
        given().queryParam("run_id", runId).when().get(LOGS).then().statusCode(200)
                .body(equalTo(launcher.workDir(runId).resolve("venv") + "\n"));
    }

    @Test
    void dockerEnvWithoutAnEngineIsRefused() throws IOException {
        assumeFalse(DockerEngine.available(), "this machine has a Docker engine");
        String runId = scheduled();
        kafka.send(request(runId, local(project()), "true", ProjectRuns.docker("python:3.12")));

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
        assertEquals(LocalLauncher.NO_DOCKER, FakeTracking.tags(runId).get("quarkflow.project.failure"));
    }

    @Test
    void afterARestartRunsLeftRunningFail() throws IOException {
        String lost = ProjectRuns.newRunId();
        FakeTracking.createRun(lost, "RUNNING", "local");
        Files.createDirectories(launcher.workDir(lost));
        String elsewhere = ProjectRuns.newRunId();
        FakeTracking.createRun(elsewhere, "RUNNING", "local");

        reconciler.reconcile().await().atMost(WAIT);

        assertEquals("FAILED", FakeTracking.status(lost));
        assertEquals(LocalLauncher.RESTARTED, FakeTracking.tags(lost).get("quarkflow.project.failure"));
        assertEquals("RUNNING", FakeTracking.status(elsewhere), "not run from this launcher's directory");
    }

    @Test
    void aRequestForARunThatEndedStartsNothing() throws IOException {
        Path project = project();
        String runId = ProjectRuns.newRunId();
        FakeTracking.createRun(runId, "KILLED", "local");
        kafka.send(request(runId, local(project), "echo ran > ran.txt", null));
        String later = scheduled();
        kafka.send(request(later, local(project()), "true", null));

        await().atMost(WAIT).until(() -> FakeTracking.status(later).equals("FINISHED"));
        assertFalse(Files.exists(project.resolve("ran.txt")));
        assertEquals(List.of(), FakeTracking.updates(runId));
    }

    @Test
    void runsLaunchedAndTheirEndsAreCountedOnMetrics() throws IOException {
        String launched = "quarkflow_project_runs_launched_total{backend=\"local\"";
        String finished = "quarkflow_project_runs_finished_total{status=\"FINISHED\"";
        String failed = "quarkflow_project_runs_finished_total{status=\"FAILED\"";
        double launchedBefore = metric(launched);
        double finishedBefore = metric(finished);
        double failedBefore = metric(failed);

        String ok = scheduled();
        kafka.send(request(ok, local(project()), "true", null));
        String broken = scheduled();
        kafka.send(request(broken, local(project()), "exit 2", null));
        await().atMost(WAIT).until(() -> FakeTracking.status(ok).equals("FINISHED")
                && FakeTracking.status(broken).equals("FAILED"));
        // Delivered again after its end: nothing is started, nothing counted.
        kafka.send(request(ok, local(project()), "true", null));
        String marker = scheduled();
        kafka.send(request(marker, local(project()), "true", null));
        await().atMost(WAIT).until(() -> FakeTracking.status(marker).equals("FINISHED"));

        await().atMost(WAIT).until(() -> metric(finished) - finishedBefore >= 2);
        assertEquals(2, metric(finished) - finishedBefore);
        assertEquals(3, metric(launched) - launchedBefore);
        assertEquals(1, metric(failed) - failedBefore);
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/2.0/quarkflow/launcher/runs/logs"));
    }

    private static double metric(String seriesStart) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(seriesStart))
                .mapToDouble(LocalBackendTest::sampleValue)
                .sum();
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(handle -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return handle.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException gone) {
                return false;
            }
        }).orElse(false);
    }

    private Path project() throws IOException {
        Path project = Files.createTempDirectory(dir, "project");
        Files.writeString(project.resolve("MLproject"), "name: demo\nentry_points:\n  main:\n    command: echo hi\n");
        return project;
    }

    private static String scheduled() {
        String runId = ProjectRuns.newRunId();
        FakeTracking.createRun(runId, "SCHEDULED", "local");
        return runId;
    }

    private static ProjectRunRequest.Source local(Path project) {
        return new ProjectRunRequest.Source("local", project.toString(), null, "");
    }

    private static ProjectRunRequest request(String runId, ProjectRunRequest.Source source, String command,
                                             ProjectRunRequest.Environment environment) {
        return ProjectRuns.request(runId, ProjectRunRequest.LOCAL, source, command, environment, Map.of());
    }

    private static String git(Path repository, String... args) throws Exception {
        List<String> line = new java.util.ArrayList<>(List.of("git", "-c", "user.name=Test", "-c",
                "user.email=test@example.com"));
        line.addAll(List.of(args));
        return run(repository, line.toArray(String[]::new));
    }

    private static String run(Path directory, String... line) throws Exception {
        Process process = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    /** A sample's value: the first token after its labels (an OpenMetrics exemplar and its timestamp may follow). */
    private static double sampleValue(String line) {
        int labelsEnd = line.indexOf('}');
        String rest = labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '));
        return Double.parseDouble(rest.trim().split(" ")[0]);
    }
}
