package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.quarkflow.e2e.MlflowMessages.assertHttpError;
import static io.quarkflow.e2e.MlflowMessages.latestMetrics;
import static io.quarkflow.e2e.MlflowMessages.metric;
import static io.quarkflow.e2e.MlflowMessages.param;
import static io.quarkflow.e2e.MlflowMessages.params;
import static io.quarkflow.e2e.MlflowMessages.point;
import static io.quarkflow.e2e.MlflowMessages.tag;
import static io.quarkflow.e2e.MlflowMessages.tags;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs and what is logged to them, through the gateway with the stock MLflow Java client. */
@EndToEnd
class RunsTest {

    private static final long T0 = 1_700_000_000_000L;

    private final MlflowClient client;

    RunsTest(QuarkflowSuite suite) {
        client = suite.editorClient();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void createsRunsAndReadsThemBack() {
        String experimentId = client.createExperiment(uniqueName("e2e-run-create"));

        RunInfo created = client.createRun(CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName("resnet-50 baseline")
                .setStartTime(T0)
                .addTags(RunTag.newBuilder().setKey("mlflow.source.type").setValue("JOB"))
                .build());

        assertTrue(created.getRunId().matches("[0-9a-f]{32}"), created.getRunId());
        assertEquals(experimentId, created.getExperimentId());
        assertEquals(RunStatus.RUNNING, created.getStatus());
        assertEquals("resnet-50 baseline", created.getRunName());
        assertEquals(T0, created.getStartTime());
        assertEquals("mlflow-artifacts:/" + experimentId + "/" + created.getRunId() + "/artifacts", created.getArtifactUri());
        Run run = client.getRun(created.getRunId());
        assertEquals(created.getRunId(), run.getInfo().getRunId());
        assertEquals("active", run.getInfo().getLifecycleStage());
        assertFalse(run.getInfo().hasEndTime(), "a running run has no end time");
        assertEquals(Map.of("mlflow.runName", "resnet-50 baseline", "mlflow.source.type", "JOB"), tags(run));
    }

    @Test
    void logsParamsMetricsWithStepsAndTags() {
        String runId = client.createRun(client.createExperiment(uniqueName("e2e-run-log"))).getRunId();
        double[] losses = {2.5, 1.25, 0.75, 0.5};

        client.logParam(runId, "lr", "0.001");
        client.logParam(runId, "optimizer", "adam");
        for (int step = 0; step < losses.length; step++) {
            client.logMetric(runId, "loss", losses[step], T0 + 1000L * step, step);
        }
        client.logMetric(runId, "accuracy", 0.9, T0, 7);
        client.setTag(runId, "dataset", "cifar10");
        client.setTag(runId, "dataset", "cifar100");
        client.setTag(runId, "scratch", "to delete");
        client.deleteTag(runId, "scratch");

        List<String> expectedHistory = new ArrayList<>();
        for (int step = 0; step < losses.length; step++) {
            expectedHistory.add(point(metric("loss", losses[step], T0 + 1000L * step, step)));
        }
        assertEquals(expectedHistory, client.getMetricHistory(runId, "loss").stream().map(MlflowMessages::point).toList(),
                "every point, in step order");
        Run run = client.getRun(runId);
        assertEquals(Map.of("lr", "0.001", "optimizer", "adam"), params(run));
        assertEquals(Map.of("loss", 0.5, "accuracy", 0.9), latestMetrics(run), "the value at the largest step");
        assertEquals("cifar100", tags(run).get("dataset"), "the last value of a tag wins");
        assertFalse(tags(run).containsKey("scratch"), "a deleted tag is gone");
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logParam(runId, "lr", "0.1"));
        assertEquals("0.001", params(client.getRun(runId)).get("lr"), "a param keeps its first value");
    }

    @Test
    void logsBatchesAllOrNothing() {
        String runId = client.createRun(client.createExperiment(uniqueName("e2e-run-batch"))).getRunId();
        List<Metric> metrics = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            metrics.add(metric("val/loss", 1.0 / (step + 1), T0 + step, step));
        }

        client.logBatch(runId, metrics, List.of(param("batch_size", "64"), param("model", "vit-b/16")),
                List.of(tag("owner", "alice")));

        assertEquals(metrics.stream().map(MlflowMessages::point).toList(),
                client.getMetricHistory(runId, "val/loss").stream().map(MlflowMessages::point).toList());
        Run run = client.getRun(runId);
        assertEquals(Map.of("batch_size", "64", "model", "vit-b/16"), params(run));
        assertEquals("alice", tags(run).get("owner"));
        assertEquals(Map.of("val/loss", 0.1), latestMetrics(run));

        // A param that conflicts with a logged value fails the whole batch: its metric and tag are not stored either.
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logBatch(runId,
                List.of(metric("half-written", 1.0, T0, 0)), List.of(param("batch_size", "128")),
                List.of(tag("half", "yes"))));
        assertEquals(List.of(), client.getMetricHistory(runId, "half-written"));
        assertFalse(tags(client.getRun(runId)).containsKey("half"));
    }

    @Test
    void terminatesRunsWithStatusAndEndTime() {
        String experimentId = client.createExperiment(uniqueName("e2e-run-terminate"));
        String finished = client.createRun(experimentId).getRunId();
        String failed = client.createRun(experimentId).getRunId();

        client.setTerminated(finished, RunStatus.FINISHED, T0 + 60_000L);
        long before = System.currentTimeMillis();
        client.setTerminated(failed, RunStatus.FAILED);

        RunInfo finishedInfo = client.getRun(finished).getInfo();
        assertEquals(RunStatus.FINISHED, finishedInfo.getStatus());
        assertEquals(T0 + 60_000L, finishedInfo.getEndTime());
        RunInfo failedInfo = client.getRun(failed).getInfo();
        assertEquals(RunStatus.FAILED, failedInfo.getStatus());
        assertTrue(failedInfo.getEndTime() >= before, "the end time defaults to now");
    }

    @Test
    void deletesAndRestoresRuns() {
        String runId = client.createRun(client.createExperiment(uniqueName("e2e-run-delete"))).getRunId();
        client.logParam(runId, "kept", "yes");

        client.deleteRun(runId);
        Run deleted = client.getRun(runId);
        assertEquals("deleted", deleted.getInfo().getLifecycleStage());
        assertEquals(Map.of("kept", "yes"), params(deleted), "a deleted run keeps its data");
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logMetric(runId, "m", 1.0));

        client.restoreRun(runId);
        assertEquals("active", client.getRun(runId).getInfo().getLifecycleStage());
        client.logMetric(runId, "m", 1.0, T0, 3);
        assertEquals(List.of("m=1.0@" + T0 + "#3"),
                client.getMetricHistory(runId, "m").stream().map(MlflowMessages::point).toList());
    }
}
