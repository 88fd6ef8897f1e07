package io.quarkflow.tracking.client;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compatibility with the stock MLflow Java client: everything it writes, it reads back as MLflow's server answers. */
@QuarkusTest
class MlflowJavaClientTest {

    private static final String RUN_NAME_TAG = "mlflow.runName";

    @TestHTTPResource("/")
    URL baseUrl;

    private MlflowClient client;

    @BeforeEach
    void connect() {
        client = new MlflowClient("http://" + baseUrl.getHost() + ":" + baseUrl.getPort());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void createsReadsTagsAndRenamesExperiments() {
        String name = uniqueName("client-exp");
        String experimentId = client.createExperiment(name);

        Experiment experiment = client.getExperiment(experimentId);
        assertEquals(experimentId, experiment.getExperimentId());
        assertEquals(name, experiment.getName());
        assertEquals("active", experiment.getLifecycleStage());
        assertEquals("mlflow-artifacts:/" + experimentId, experiment.getArtifactLocation());
        assertTrue(experiment.getCreationTime() > 0, "creation_time is set");

        Optional<Experiment> byName = client.getExperimentByName(name);
        assertTrue(byName.isPresent(), "found by name");
        assertEquals(experimentId, byName.get().getExperimentId());
        assertTrue(client.getExperimentByName(uniqueName("never-created")).isEmpty(), "unknown name is empty, not an error");

        client.setExperimentTag(experimentId, "team", "vision");
        client.setExperimentTag(experimentId, "stage", "draft");
        client.setExperimentTag(experimentId, "stage", "final");
        assertEquals(Map.of("team", "vision", "stage", "final"), experimentTags(client.getExperiment(experimentId)));

        String newName = uniqueName("client-exp-renamed");
        client.renameExperiment(experimentId, newName);
        Experiment renamed = client.getExperiment(experimentId);
        assertEquals(newName, renamed.getName());
        assertTrue(renamed.getLastUpdateTime() >= experiment.getLastUpdateTime());
        assertTrue(client.getExperimentByName(name).isEmpty(), "old name is free after the rename");
        assertEquals(experimentId, client.getExperimentByName(newName).orElseThrow().getExperimentId());
        assertEquals(Map.of("team", "vision", "stage", "final"), experimentTags(renamed), "tags survive a rename");
    }

    @Test
    void refusesDuplicateExperimentNamesAndUnknownIds() {
        String name = uniqueName("client-dup");
        String experimentId = client.createExperiment(name);
        assertHttpError(400, "RESOURCE_ALREADY_EXISTS", () -> client.createExperiment(name));

        String other = client.createExperiment(uniqueName("client-dup-other"));
        assertHttpError(400, "RESOURCE_ALREADY_EXISTS", () -> client.renameExperiment(other, name));
        assertEquals(name, client.getExperiment(experimentId).getName());

        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getExperiment("987654321"));
    }

    @Test
    void deletesAndRestoresExperimentWithItsRuns() {
        String experimentId = client.createExperiment(uniqueName("client-delete-exp"));
        String runId = client.createRun(experimentId).getRunId();

        client.deleteExperiment(experimentId);
        assertEquals("deleted", client.getExperiment(experimentId).getLifecycleStage());
        assertEquals("deleted", client.getRun(runId).getInfo().getLifecycleStage(), "runs follow their experiment");
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.createRun(experimentId));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.setExperimentTag(experimentId, "k", "v"));

        client.restoreExperiment(experimentId);
        assertEquals("active", client.getExperiment(experimentId).getLifecycleStage());
        assertEquals("active", client.getRun(runId).getInfo().getLifecycleStage());
        client.logParam(runId, "after-restore", "ok");
        assertEquals(Map.of("after-restore", "ok"), params(client.getRun(runId)));
    }

    @Test
    void searchesExperimentsByNameTagAndViewTypeWithPaging() {
        String prefix = uniqueName("client-search");
        String first = client.createExperiment(prefix + "-a");
        String second = client.createExperiment(prefix + "-b");
        String third = client.createExperiment(prefix + "-c");
        client.setExperimentTag(second, "flavour", "sour");
        client.deleteExperiment(third);

        String byPrefix = "name LIKE '" + prefix + "%'";
        assertEquals(List.of(first, second),
                ids(client.searchExperiments(byPrefix, ViewType.ACTIVE_ONLY, 100, List.of("name ASC"))));
        assertEquals(List.of(third),
                ids(client.searchExperiments(byPrefix, ViewType.DELETED_ONLY, 100, List.of("name ASC"))));
        assertEquals(List.of(first, second, third),
                ids(client.searchExperiments(byPrefix, ViewType.ALL, 100, List.of("name ASC"))));
        assertEquals(List.of(second), ids(client.searchExperiments(byPrefix + " AND tags.flavour = 'sour'")));
        assertEquals(List.of(), ids(client.searchExperiments("name = '" + prefix + "-none'")));

        ExperimentsPage page = client.searchExperiments(byPrefix, ViewType.ALL, 2, List.of("name DESC"));
        assertEquals(List.of(third, second), ids(page));
        assertTrue(page.hasNextPage(), "a third experiment is left");
        ExperimentsPage last = (ExperimentsPage) page.getNextPage();
        assertEquals(List.of(first), ids(last));
        assertFalse(last.hasNextPage());
    }

    @Test
    void createsRunsWithGeneratedAndGivenNames() {
        String experimentId = client.createExperiment(uniqueName("client-create-run"));
        long before = System.currentTimeMillis();

        RunInfo generated = client.createRun(experimentId);
        assertTrue(generated.getRunId().matches("[0-9a-f]{32}"), generated.getRunId());
        assertEquals(generated.getRunId(), generated.getRunUuid());
        assertEquals(experimentId, generated.getExperimentId());
        assertEquals(RunStatus.RUNNING, generated.getStatus());
        assertEquals("active", generated.getLifecycleStage());
        assertEquals(System.getProperty("user.name"), generated.getUserId());
        assertTrue(generated.getStartTime() >= before, "start_time is the client's clock");
        assertFalse(generated.getRunName().isEmpty(), "a run name is generated");
        assertEquals("mlflow-artifacts:/" + experimentId + "/" + generated.getRunId() + "/artifacts",
                generated.getArtifactUri());
        Run readBack = client.getRun(generated.getRunId());
        assertEquals(generated.getRunName(), readBack.getInfo().getRunName());
        assertEquals(generated.getRunName(), tags(readBack).get(RUN_NAME_TAG));

        RunInfo named = client.createRun(CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName("resnet-50 baseline")
                .setStartTime(1_700_000_000_000L)
                .addTags(RunTag.newBuilder().setKey("mlflow.source.type").setValue("JOB"))
                .build());
        assertTrue(named.getRunId().matches("[0-9a-f]{32}"), named.getRunId());
        assertNotEquals(generated.getRunId(), named.getRunId());
        assertEquals("resnet-50 baseline", named.getRunName());
        assertEquals(1_700_000_000_000L, named.getStartTime());
        Run namedRun = client.getRun(named.getRunId());
        assertEquals("resnet-50 baseline", namedRun.getInfo().getRunName());
        assertEquals(Map.of(RUN_NAME_TAG, "resnet-50 baseline", "mlflow.source.type", "JOB"), tags(namedRun));
        assertFalse(namedRun.getInfo().hasEndTime(), "a running run has no end time");
    }

    @Test
    void logsParamsMetricsAndTagsAndReadsThemBack() {
        String runId = client.createRun(client.createExperiment(uniqueName("client-log"))).getRunId();
        long t0 = 1_700_000_000_000L;

        client.logParam(runId, "lr", "0.001");
        client.logParam(runId, "optimizer", "adam");
        client.logParam(runId, "lr", "0.001");
        double[] losses = {2.5, 1.25, 0.75, 0.5, 0.375};
        for (int step = 0; step < losses.length; step++) {
            client.logMetric(runId, "loss", losses[step], t0 + 1000L * step, step);
        }
        // A second point at the last step, logged later: it becomes the latest value.
        client.logMetric(runId, "loss", 0.25, t0 + 9000L, 4);
        client.logMetric(runId, "accuracy", 0.9);
        // An earlier step logged later does not become the latest value: the largest step wins.
        client.logMetric(runId, "lr", 0.1, t0 + 5000L, 5);
        client.logMetric(runId, "lr", 0.4, t0 + 6000L, 2);
        client.setTag(runId, "mlflow.note.content", "first try");
        client.setTag(runId, "dataset", "cifar10");
        client.setTag(runId, "dataset", "cifar100");
        client.setTag(runId, "scratch", "to delete");
        client.deleteTag(runId, "scratch");

        List<Metric> history = client.getMetricHistory(runId, "loss");
        List<String> expected = new ArrayList<>();
        for (int step = 0; step < losses.length; step++) {
            expected.add(point("loss", losses[step], t0 + 1000L * step, step));
        }
        expected.add(point("loss", 0.25, t0 + 9000L, 4));
        assertEquals(expected, history.stream().map(MlflowJavaClientTest::point).toList(), "every point, in step order");

        List<String> lr = client.getMetricHistory(runId, "lr").stream()
                .sorted(Comparator.comparingLong(Metric::getStep))
                .map(MlflowJavaClientTest::point)
                .toList();
        assertEquals(List.of(point("lr", 0.4, t0 + 6000L, 2), point("lr", 0.1, t0 + 5000L, 5)), lr);

        Run run = client.getRun(runId);
        assertEquals(Map.of("lr", "0.001", "optimizer", "adam"), params(run));
        Map<String, String> tags = tags(run);
        assertEquals("first try", tags.get("mlflow.note.content"));
        assertEquals("cifar100", tags.get("dataset"), "the last value of a tag wins");
        assertFalse(tags.containsKey("scratch"), "deleted tag is gone");
        Map<String, Metric> latest = metrics(run);
        assertEquals(Map.of("loss", 0.25, "accuracy", 0.9, "lr", 0.1), latest.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getValue())));
        assertEquals(4, latest.get("loss").getStep());
        assertEquals(t0 + 9000L, latest.get("loss").getTimestamp());
        assertEquals(0, latest.get("accuracy").getStep(), "logMetric without a step logs step 0");
    }

    @Test
    void logsBatchesAtomically() {
        String runId = client.createRun(client.createExperiment(uniqueName("client-batch"))).getRunId();
        long t0 = 1_700_000_000_000L;

        List<Metric> metrics = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            metrics.add(metric("val/loss", 1.0 / (step + 1), t0 + step, step));
            metrics.add(metric("val/acc", step / 10.0, t0 + step, step));
        }
        List<Param> params = List.of(param("batch_size", "64"), param("epochs", "10"), param("model", "vit-b/16"));
        List<RunTag> tags = List.of(tag("owner", "alice"), tag("phase", "eval"));
        client.logBatch(runId, metrics, params, tags);
        // Metrics only, and a batch that re-sends an identical point: it is stored once.
        client.logBatch(runId, List.of(metric("val/acc", 0.9, t0 + 9, 9), metric("val/acc", 0.95, t0 + 10, 10)),
                null, null);

        List<Metric> acc = client.getMetricHistory(runId, "val/acc");
        assertEquals(11, acc.size(), "10 batch points plus 1 new one; the repeated point is not duplicated");
        for (int step = 0; step < 10; step++) {
            assertEquals(point("val/acc", step / 10.0, t0 + step, step), point(acc.get(step)));
        }
        assertEquals(point("val/acc", 0.95, t0 + 10, 10), point(acc.get(10)));
        List<Metric> loss = client.getMetricHistory(runId, "val/loss");
        assertEquals(10, loss.size());
        for (int step = 0; step < 10; step++) {
            assertEquals(1.0 / (step + 1), loss.get(step).getValue());
            assertEquals(step, loss.get(step).getStep());
        }

        Run run = client.getRun(runId);
        assertEquals(Map.of("batch_size", "64", "epochs", "10", "model", "vit-b/16"), params(run));
        assertEquals("alice", tags(run).get("owner"));
        assertEquals("eval", tags(run).get("phase"));
        assertEquals(0.95, metrics(run).get("val/acc").getValue());
        assertEquals(0.1, metrics(run).get("val/loss").getValue());

        // A conflicting param fails the whole batch: the metric logged with it must not be stored.
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logBatch(runId,
                List.of(metric("half-written", 1.0, t0, 0)), List.of(param("epochs", "20")), List.of(tag("half", "yes"))));
        assertEquals(List.of(), client.getMetricHistory(runId, "half-written"));
        assertFalse(tags(client.getRun(runId)).containsKey("half"));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logBatch(runId, null,
                List.of(param("dup", "a"), param("dup", "b")), null));
        assertFalse(params(client.getRun(runId)).containsKey("dup"));
    }

    @Test
    void storesNanAndClampsInfinity() {
        String runId = client.createRun(client.createExperiment(uniqueName("client-nan"))).getRunId();
        long t0 = 1_700_000_000_000L;

        client.logMetric(runId, "nan", Double.NaN, t0, 0);
        client.logMetric(runId, "inf", Double.POSITIVE_INFINITY, t0, 0);
        client.logMetric(runId, "ninf", Double.NEGATIVE_INFINITY, t0, 0);
        client.logBatch(runId, List.of(metric("nan", 1.5, t0 + 1, 1), metric("nan", Double.NaN, t0 + 2, 2)), null, null);

        List<Metric> nan = client.getMetricHistory(runId, "nan");
        assertEquals(3, nan.size());
        assertTrue(Double.isNaN(nan.get(0).getValue()), "NaN round-trips");
        assertEquals(1.5, nan.get(1).getValue());
        assertTrue(Double.isNaN(nan.get(2).getValue()));
        assertEquals(List.of(Double.MAX_VALUE), client.getMetricHistory(runId, "inf").stream().map(Metric::getValue).toList());
        assertEquals(List.of(-Double.MAX_VALUE), client.getMetricHistory(runId, "ninf").stream().map(Metric::getValue).toList());

        Map<String, Metric> latest = metrics(client.getRun(runId));
        assertTrue(Double.isNaN(latest.get("nan").getValue()), "the latest point (step 2) is NaN");
        assertEquals(2, latest.get("nan").getStep());
        assertEquals(Double.MAX_VALUE, latest.get("inf").getValue());
        assertEquals(-Double.MAX_VALUE, latest.get("ninf").getValue());
    }

    @Test
    void terminatesRuns() {
        String experimentId = client.createExperiment(uniqueName("client-terminate"));
        String finished = client.createRun(experimentId).getRunId();
        String failed = client.createRun(experimentId).getRunId();

        client.setTerminated(finished, RunStatus.FINISHED, 1_800_000_000_000L);
        RunInfo info = client.getRun(finished).getInfo();
        assertEquals(RunStatus.FINISHED, info.getStatus());
        assertTrue(info.hasEndTime());
        assertEquals(1_800_000_000_000L, info.getEndTime());

        long before = System.currentTimeMillis();
        client.setTerminated(failed, RunStatus.FAILED);
        RunInfo failedInfo = client.getRun(failed).getInfo();
        assertEquals(RunStatus.FAILED, failedInfo.getStatus());
        assertTrue(failedInfo.getEndTime() >= before, "end time defaults to now");
        assertEquals(RunStatus.FINISHED, client.getRun(finished).getInfo().getStatus(), "other runs are untouched");
    }

    @Test
    void deletesAndRestoresRuns() {
        String runId = client.createRun(client.createExperiment(uniqueName("client-delete-run"))).getRunId();
        client.logParam(runId, "kept", "yes");

        client.deleteRun(runId);
        Run deleted = client.getRun(runId);
        assertEquals("deleted", deleted.getInfo().getLifecycleStage());
        assertEquals(Map.of("kept", "yes"), params(deleted), "a deleted run keeps its data");
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logMetric(runId, "m", 1.0));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logParam(runId, "p", "v"));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.setTag(runId, "t", "v"));
        assertHttpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.logBatch(runId, List.of(metric("m", 1.0, 1L, 0)), null, null));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.setTerminated(runId));
        assertEquals(List.of(), client.getMetricHistory(runId, "m"));

        client.restoreRun(runId);
        assertEquals("active", client.getRun(runId).getInfo().getLifecycleStage());
        client.logMetric(runId, "m", 1.0, 5L, 0);
        assertEquals(1, client.getMetricHistory(runId, "m").size());
    }

    @Test
    void reportsErrorsAsMlflowDoes() {
        String runId = client.createRun(client.createExperiment(uniqueName("client-errors"))).getRunId();
        String unknownRun = UUID.randomUUID().toString().replace("-", "");

        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRun(unknownRun));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getMetricHistory(unknownRun, "loss"));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.logParam(unknownRun, "p", "v"));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.deleteRun(unknownRun));

        client.logParam(runId, "alpha", "0.5");
        MlflowHttpException changed = assertHttpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.logParam(runId, "alpha", "0.7"));
        assertTrue(changed.getBodyMessage().contains("Changing param values is not allowed"), changed.getBodyMessage());
        assertEquals(Map.of("alpha", "0.5"), params(client.getRun(runId)), "the first value stays");

        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.deleteTag(runId, "never-set"));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logMetric(runId, "../escape", 1.0));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logParam(runId, "bad key!", "v"));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.logMetric(runId, "negative-ts", 1.0, -1L, 0));
    }

    @Test
    void searchesRunsWithFilterOrderAndPaging() {
        String experimentId = client.createExperiment(uniqueName("client-search"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String runId = client.createRun(experimentId).getRunId();
            client.logMetric(runId, "rmse", 0.1 * i);
            client.logParam(runId, "depth", i % 2 == 0 ? "even" : "odd");
            if (i % 2 == 0) {
                expected.add(0, runId);
            }
        }
        String noMetric = client.createRun(experimentId).getRunId();
        client.logParam(noMetric, "depth", "even");

        RunsPage page = client.searchRuns(List.of(experimentId), "params.depth = 'even' and metrics.rmse >= 0",
                ViewType.ACTIVE_ONLY, 2, List.of("metrics.rmse DESC"));
        List<String> found = new ArrayList<>(page.getItems().stream().map(run -> run.getInfo().getRunId()).toList());
        assertEquals(2, found.size());
        assertTrue(page.hasNextPage(), "a third run remains");
        page.getNextPage().getItems().forEach(run -> found.add(run.getInfo().getRunId()));
        assertEquals(expected, found, "rmse 0.4, 0.2, 0.0");

        List<String> all = client.searchRuns(List.of(experimentId), "params.depth = 'even'", ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.rmse ASC")).getItems().stream().map(run -> run.getInfo().getRunId()).toList();
        assertEquals(noMetric, all.get(all.size() - 1), "a run without the metric sorts last");
        MlflowHttpException bad = assertHttpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.searchRuns(List.of(experimentId), "metrics.rmse > 'high'"));
        assertTrue(bad.getBodyMessage().contains("numeric"), bad.getBodyMessage());
    }

    private static MlflowHttpException assertHttpError(int status, String errorCode, Executable call) {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, call);
        assertEquals(status, e.getStatusCode(), e::getMessage);
        assertTrue(e.getBodyMessage() != null && e.getBodyMessage().contains("\"" + errorCode + "\""),
                () -> "expected " + errorCode + " in " + e.getBodyMessage());
        return e;
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static List<String> ids(ExperimentsPage page) {
        return page.getItems().stream().map(Experiment::getExperimentId).toList();
    }

    private static Map<String, String> experimentTags(Experiment experiment) {
        return experiment.getTagsList().stream().collect(Collectors.toMap(ExperimentTag::getKey, ExperimentTag::getValue));
    }

    private static Map<String, String> params(Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    private static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    private static Map<String, Metric> metrics(Run run) {
        return run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, m -> m));
    }

    private static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    private static Param param(String key, String value) {
        return Param.newBuilder().setKey(key).setValue(value).build();
    }

    private static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(value).build();
    }

    /** A comparable rendering of a point: key, value, timestamp and step. */
    private static String point(String key, double value, long timestamp, long step) {
        return key + "=" + value + "@" + timestamp + "#" + step;
    }

    private static String point(Metric metric) {
        return point(metric.getKey(), metric.getValue(), metric.getTimestamp(), metric.getStep());
    }
}
