package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.FakeTracking;
import io.quarkflow.launcher.ProjectRuns;
import io.quarkflow.launcher.domain.KubernetesNames;
import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes backend against the fabric8 API server in CRUD mode (no controller runs: the tests play the Job
 * controller and the kubelet by writing status), a real Kafka broker, and a fake tracking-service.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubernetesBackendTest {

    /** The built-in template is MLflow's example, whose namespace is mlflow. */
    private static final String NAMESPACE = "mlflow";
    private static final String COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What the launcher must never run: a privileged pod in the cluster's own namespace. */
    private static final String PRIVILEGED_IN_KUBE_SYSTEM = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: takeover
              namespace: kube-system
            spec:
              template:
                spec:
                  hostPID: true
                  containers:
                    - name: main
                      image: busybox
                      securityContext:
                        privileged: true
                  restartPolicy: Never
            """;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesReconciler reconciler;

    @Inject
    RunStatusReporter reporter;

    @Inject
    LeaderElection election;

    private ProjectRuns kafka;

    @BeforeEach
    void connect() {
        kafka = new ProjectRuns();
        await().atMost(WAIT).until(election::leading);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aRequestBecomesAJobRenderedFromTheTemplate() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));

        Job job = awaitJob(runId);
        var main = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("/bin/sh", "-c", "python train.py --alpha 0.5"), main.getCommand());
        assertEquals("registry.example/trainer:1", main.getImage());
        assertEquals(COMMIT, job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("QUARKFLOW_GIT_COMMIT")).findFirst().orElseThrow().getValue());
        assertEquals(0, job.getSpec().getBackoffLimit(), "the template's own settings stay");
        await().atMost(WAIT).until(() -> (NAMESPACE + "/" + KubernetesNames.jobName(runId))
                .equals(FakeTracking.tags(runId).get("quarkflow.project.job")));
        assertEquals("SCHEDULED", FakeTracking.status(runId), "not RUNNING before the Job started");
    }

    /** team-a: the second of quarkflow.launcher.kubernetes.namespaces, watched by informers of its own. */
    @Test
    void theRunFollowsItsJobToFinished() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of("namespace", "team-a")));
        Job job = awaitJob(runId);
        assertEquals("team-a", job.getMetadata().getNamespace(), "backend_config's namespace wins");

        editStatus(job, new JobBuilder(job).editOrNewStatus().withStartTime(Instant.now().toString()).withActive(1)
                .endStatus().build());
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("RUNNING"));

        editStatus(job, new JobBuilder(job).editOrNewStatus().withStartTime(Instant.now().toString()).withActive(0)
                .withSucceeded(1).withConditions(condition("Complete", null, null)).endStatus().build());
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FINISHED"));
        assertEquals(List.of("RUNNING", "FINISHED"), FakeTracking.updates(runId));
    }

    /** Whether backend_config or the request's template names it, a namespace outside the list gets no Job. */
    @Test
    void aRequestForANamespaceOutsideTheListFailsTheRunAndCreatesNoJob() {
        String named = scheduled();
        kafka.send(request(named, Map.of("namespace", "kube-system")));
        String templated = scheduled();
        kafka.send(request(templated, Map.of("kube-job-template", PRIVILEGED_IN_KUBE_SYSTEM)));

        for (String runId : List.of(named, templated)) {
            await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
            assertEquals("namespace \"kube-system\" is not one the launcher may run Jobs in "
                            + "(quarkflow.launcher.kubernetes.namespaces: mlflow, team-a)",
                    FakeTracking.tags(runId).get("quarkflow.project.failure"));
            assertEquals(List.of("FAILED"), FakeTracking.updates(runId));
            assertEquals(List.of(), jobs(runId));
        }
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace("kube-system").list().getItems());
    }

    @Test
    void aFailedJobFailsTheRunWithItsReasonAndAnOomKilledContainer() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));
        Job job = awaitJob(runId);
        Pod pod = pod(job, "oom");
        editPodStatus(pod, new PodBuilder(pod).editOrNewStatus().withPhase("Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withNewState().withNewTerminated()
                        .withReason("OOMKilled").withExitCode(137).endTerminated().endState().build())
                .endStatus().build());

        editStatus(job, new JobBuilder(job).editOrNewStatus().withStartTime(Instant.now().toString())
                .withFailed(1).withConditions(condition("Failed", "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit")).endStatus().build());

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
        String reason = FakeTracking.tags(runId).get("quarkflow.project.failure");
        assertTrue(reason.contains("BackoffLimitExceeded"), reason);
        assertTrue(reason.contains("OOMKilled"), reason);
    }

    @Test
    void aPodThatCannotPullItsImageFailsTheRunAndItsJobIsDeleted() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));
        Job job = awaitJob(runId);
        Pod pod = pod(job, "pull");
        editPodStatus(pod, new PodBuilder(pod).editOrNewStatus().withPhase("Pending")
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withNewState().withNewWaiting()
                        .withReason("ImagePullBackOff").withMessage("Back-off pulling image").endWaiting().endState()
                        .build())
                .endStatus().build());

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
        assertTrue(FakeTracking.tags(runId).get("quarkflow.project.failure").contains("ImagePullBackOff"));
        await().atMost(WAIT).until(() -> jobs(runId).isEmpty());
        assertEquals(List.of("FAILED"), FakeTracking.updates(runId), "its deletion is not taken for someone else's");
    }

    @Test
    void aRequestDeliveredTwiceCreatesOneJob() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));
        kafka.send(request(runId, Map.of()));
        // Handled in order: once a later run's Job exists, both copies were handled.
        String later = scheduled();
        kafka.send(request(later, Map.of()));
        awaitJob(later);

        assertEquals(1, jobs(runId).size());
        assertEquals(List.of(), FakeTracking.updates(runId));
    }

    @Test
    void cancelDeletesTheJobInTheBackgroundAndKillsTheRun() throws InterruptedException {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));
        Job job = awaitJob(runId);
        editStatus(job, new JobBuilder(job).editOrNewStatus().withStartTime(Instant.now().toString()).withActive(1)
                .endStatus().build());
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("RUNNING"));
        drainRequests();

        kafka.cancel(runId, ProjectRunRequest.KUBERNETES);

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("KILLED"));
        assertTrue(jobs(runId).isEmpty());
        assertTrue(drainRequests().stream().anyMatch(request -> request.getMethod().equals("DELETE")
                && request.getPath().contains(job.getMetadata().getName())
                && request.getBody().readUtf8().contains("\"propagationPolicy\":\"Background\"")));
        Thread.sleep(500); // the watcher sees the deletion too, and must not call it a failure
        assertEquals(List.of("RUNNING", "KILLED"), FakeTracking.updates(runId));
    }

    @Test
    void aJobDeletedOutsideQuarkflowFailsTheRun() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));
        Job job = awaitJob(runId);
        editStatus(job, new JobBuilder(job).editOrNewStatus().withStartTime(Instant.now().toString()).withActive(1)
                .endStatus().build());
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("RUNNING"));

        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).delete();

        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
        assertEquals("Job " + NAMESPACE + "/" + job.getMetadata().getName() + " was deleted outside Quarkflow",
                FakeTracking.tags(runId).get("quarkflow.project.failure"));
    }

    @Test
    void aNewLeaderFailsRunningRunsWhoseJobIsGoneAndLeavesTheOthers() {
        String lost = ProjectRuns.newRunId();
        FakeTracking.createRun(lost, "RUNNING", "kubernetes");
        String scheduled = ProjectRuns.newRunId();
        FakeTracking.createRun(scheduled, "SCHEDULED", "kubernetes");
        String alive = scheduled();
        kafka.send(request(alive, Map.of()));
        Job job = awaitJob(alive);
        editStatus(job, new JobBuilder(job).editOrNewStatus().withStartTime(Instant.now().toString()).withActive(1)
                .endStatus().build());
        await().atMost(WAIT).until(() -> FakeTracking.status(alive).equals("RUNNING"));

        reconciler.reconcile().await().atMost(WAIT);

        assertEquals("FAILED", FakeTracking.status(lost));
        assertTrue(FakeTracking.tags(lost).get("quarkflow.project.failure").contains("no longer exists"));
        assertEquals("SCHEDULED", FakeTracking.status(scheduled), "its request may still wait in Kafka");
        assertEquals("RUNNING", FakeTracking.status(alive));
    }

    /**
     * projects-service creates a run RUNNING (MLflow's default) and sets it SCHEDULED next: a reconciliation that
     * found it RUNNING in its search must not fail it once it is SCHEDULED, waiting for its request.
     */
    @Test
    void aReconciliationDecidedOnARunningRunLeavesItOnceItIsScheduled() {
        String moving = ProjectRuns.newRunId();
        FakeTracking.createRun(moving, "SCHEDULED", "kubernetes");

        reporter.reportIfStill(RunStatus.RUNNING, moving, StatusChange.failed("gone")).await().atMost(WAIT);

        assertEquals("SCHEDULED", FakeTracking.status(moving));
        assertEquals(List.of(), FakeTracking.updates(moving));
    }

    @Test
    void theLeaderHoldsTheLease() {
        Lease lease = client.leases().inNamespace("default").withName("quarkflow-launcher").get();
        assertNotNull(lease);
        assertEquals(election.identity(), lease.getSpec().getHolderIdentity());
    }

    @Test
    void recordsThatAreNoRequestAreSkipped() {
        String runId = scheduled();
        kafka.sendRaw(runId, "not json");
        kafka.sendRaw(runId, "{\"specversion\":\"1.0\",\"type\":\"io.quarkflow.something-else\",\"id\":\"1\"}");
        kafka.send(request(runId, Map.of()));
        awaitJob(runId);
    }

    @Test
    void aRequestForABrokenTemplateFailsTheRun() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of("kube-job-template", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")));
        await().atMost(WAIT).until(() -> FakeTracking.status(runId).equals("FAILED"));
        assertTrue(FakeTracking.tags(runId).get("quarkflow.project.failure").contains("not a batch/v1 Job"));
    }

    @Test
    void theLogsOfAJobAreItsPodsLog() {
        String runId = scheduled();
        kafka.send(request(runId, Map.of()));
        Job job = awaitJob(runId);
        Pod pod = pod(job, "logs");
        String container = job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod.getMetadata().getName()
                + "/log?pretty=false&container=" + container + "&tailLines=2").andReturn(200, "epoch 9\nepoch 10\n")
                .always();

        given().queryParam("run_id", runId).queryParam("tail", 2)
                .when().get("/api/2.0/quarkflow/launcher/runs/logs")
                .then().statusCode(200).body(equalTo("epoch 9\nepoch 10\n"));
        given().queryParam("run_id", ProjectRuns.newRunId())
                .when().get("/api/2.0/quarkflow/launcher/runs/logs")
                .then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    private static String scheduled() {
        String runId = ProjectRuns.newRunId();
        FakeTracking.createRun(runId, "SCHEDULED", "kubernetes");
        return runId;
    }

    private static ProjectRunRequest request(String runId, Map<String, Object> backendConfig) {
        return ProjectRuns.request(runId, ProjectRunRequest.KUBERNETES, ProjectRuns.git("https://git.example/r.git",
                COMMIT), "python train.py --alpha 0.5", ProjectRuns.docker("registry.example/trainer:1"), backendConfig);
    }

    private Job awaitJob(String runId) {
        await().atMost(WAIT).until(() -> jobs(runId).size() == 1);
        return jobs(runId).get(0);
    }

    private List<Job> jobs(String runId) {
        return client.batch().v1().jobs().inAnyNamespace().withLabel("quarkflow.io/run-id", runId).list().getItems();
    }

    private void editStatus(Job job, Job withStatus) {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .editStatus(current -> new JobBuilder(current).withStatus(withStatus.getStatus()).build());
    }

    /** A pod as the Job controller creates it: labelled with its Job's name and the run's labels. */
    private Pod pod(Job job, String suffix) {
        Map<String, String> labels = new java.util.HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        return client.pods().inNamespace(job.getMetadata().getNamespace()).resource(new PodBuilder()
                .withNewMetadata().withName(job.getMetadata().getName() + "-" + suffix).withLabels(labels).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).build()).create();
    }

    private void editPodStatus(Pod pod, Pod withStatus) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(current -> new PodBuilder(current).withStatus(withStatus.getStatus()).build());
    }

    private static io.fabric8.kubernetes.api.model.batch.v1.JobCondition condition(String type, String reason,
                                                                                  String message) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .build();
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest request = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS);
             request != null; request = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) {
            requests.add(request);
        }
        return requests;
    }
}
