package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.RunsPage;

import java.util.List;

import static io.quarkflow.e2e.MlflowMessages.latestMetrics;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** runs/search with MLflow's filter language, order_by and page tokens, through the gateway. */
@EndToEnd
class SearchRunsTest {

    private static final long T0 = 1_700_000_000_000L;

    private final MlflowClient client;

    SearchRunsTest(QuarkflowSuite suite) {
        client = suite.editorClient();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void filtersOrdersByMetricAndPagesWithTokens() {
        String experimentId = client.createExperiment(uniqueName("e2e-search"));
        String[] runs = new String[5];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = client.createRun(experimentId).getRunId();
            client.logMetric(runs[i], "rmse", i / 10.0);
            client.logParam(runs[i], "depth", i % 2 == 0 ? "even" : "odd");
        }
        String withoutMetric = client.createRun(experimentId).getRunId();
        client.logParam(withoutMetric, "depth", "even");
        String otherExperiment = client.createRun(client.createExperiment(uniqueName("e2e-search-other"))).getRunId();
        client.logMetric(otherExperiment, "rmse", 0.3);
        client.logParam(otherExperiment, "depth", "even");
        String filter = "params.depth = 'even' and metrics.rmse >= 0";
        List<String> orderBy = List.of("metrics.rmse DESC");

        RunsPage first = client.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 2, orderBy);
        assertEquals(List.of(runs[4], runs[2]), ids(first));
        assertEquals(List.of(0.4, 0.2), rmse(first));
        String token = first.getNextPageToken().orElseThrow();
        assertFalse(token.isBlank(), "a page token names the rest");

        RunsPage second = client.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 2, orderBy, token);
        assertEquals(List.of(runs[0]), ids(second));
        assertEquals(List.of(0.0), rmse(second));
        assertFalse(second.hasNextPage(), "the last page has no token");
        assertEquals(ids(second), ids((RunsPage) first.getNextPage()), "the client's own paging agrees");
    }

    @Test
    void filtersByTagAndStatusAndOrdersByStartTime() {
        String experimentId = client.createExperiment(uniqueName("e2e-search-attrs"));
        String late = startRun(experimentId, T0 + 2_000L);
        String early = startRun(experimentId, T0);
        String middle = startRun(experimentId, T0 + 1_000L);
        String untagged = startRun(experimentId, T0 + 500L);
        for (String runId : List.of(late, early, middle)) {
            client.setTag(runId, "team", "vision");
        }
        client.setTerminated(middle, RunStatus.FINISHED);

        assertEquals(List.of(early, middle, late), ids(client.searchRuns(List.of(experimentId), "tags.team = 'vision'",
                ViewType.ACTIVE_ONLY, 10, List.of("attributes.start_time ASC"))));
        assertEquals(List.of(middle), ids(client.searchRuns(List.of(experimentId),
                "tags.team = 'vision' and attributes.status = 'FINISHED'", ViewType.ACTIVE_ONLY, 10, List.of())));
        assertEquals(List.of(late, middle, untagged, early), ids(client.searchRuns(List.of(experimentId), "",
                ViewType.ACTIVE_ONLY, 10, List.of("attributes.start_time DESC"))), "an empty filter matches every run");
    }

    private String startRun(String experimentId, long startTime) {
        return client.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setStartTime(startTime).build())
                .getRunId();
    }

    private static List<String> ids(RunsPage page) {
        return page.getItems().stream().map(run -> run.getInfo().getRunId()).toList();
    }

    private static List<Double> rmse(RunsPage page) {
        return page.getItems().stream().map(run -> latestMetrics(run).get("rmse")).toList();
    }
}
