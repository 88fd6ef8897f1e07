package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;

import java.util.List;
import java.util.Map;

import static io.quarkflow.e2e.MlflowMessages.assertHttpError;
import static io.quarkflow.e2e.MlflowMessages.experimentTags;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Experiments through the gateway with the stock MLflow Java client. */
@EndToEnd
class ExperimentsTest {

    private final MlflowClient client;

    ExperimentsTest(QuarkflowSuite suite) {
        client = suite.editorClient();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void createsAndFindsExperimentsByIdAndName() {
        String name = uniqueName("e2e-exp");
        long before = System.currentTimeMillis();
        String experimentId = client.createExperiment(name);

        Experiment experiment = client.getExperiment(experimentId);
        assertEquals(experimentId, experiment.getExperimentId());
        assertEquals(name, experiment.getName());
        assertEquals("active", experiment.getLifecycleStage());
        assertEquals("mlflow-artifacts:/" + experimentId, experiment.getArtifactLocation());
        assertTrue(experiment.getCreationTime() >= before, "creation_time is the server's clock, after the request");

        assertEquals(experimentId, client.getExperimentByName(name).orElseThrow().getExperimentId());
        assertTrue(client.getExperimentByName(uniqueName("e2e-never-created")).isEmpty(),
                "an unknown name is empty, not an error");
        assertHttpError(400, "RESOURCE_ALREADY_EXISTS", () -> client.createExperiment(name));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getExperiment("987654321"));
    }

    @Test
    void setsAndOverwritesExperimentTags() {
        String experimentId = client.createExperiment(uniqueName("e2e-exp-tags"));

        client.setExperimentTag(experimentId, "team", "vision");
        client.setExperimentTag(experimentId, "stage", "draft");
        client.setExperimentTag(experimentId, "stage", "final");

        assertEquals(Map.of("team", "vision", "stage", "final"), experimentTags(client.getExperiment(experimentId)));
    }

    @Test
    void searchesExperimentsByNameTagAndLifecycleWithPages() {
        String prefix = uniqueName("e2e-exp-search");
        String first = client.createExperiment(prefix + "-a");
        String second = client.createExperiment(prefix + "-b");
        String third = client.createExperiment(prefix + "-c");
        client.setExperimentTag(second, "flavour", "sour");
        client.deleteExperiment(third);
        String byPrefix = "name LIKE '" + prefix + "%'";

        List<String> byName = List.of("name ASC");
        assertEquals(List.of(first, second), ids(client.searchExperiments(byPrefix, ViewType.ACTIVE_ONLY, 10, byName)));
        assertEquals(List.of(third), ids(client.searchExperiments(byPrefix, ViewType.DELETED_ONLY, 10, byName)));
        assertEquals(List.of(second), ids(client.searchExperiments(byPrefix + " AND tags.flavour = 'sour'")));

        ExperimentsPage page = client.searchExperiments(byPrefix, ViewType.ALL, 2, List.of("name DESC"));
        assertEquals(List.of(third, second), ids(page));
        assertTrue(page.hasNextPage(), "one experiment is left for the next page");
        ExperimentsPage last = (ExperimentsPage) page.getNextPage();
        assertEquals(List.of(first), ids(last));
        assertFalse(last.hasNextPage());
    }

    @Test
    void deletesAndRestoresExperimentsWithTheirRuns() {
        String experimentId = client.createExperiment(uniqueName("e2e-exp-delete"));
        String runId = client.createRun(experimentId).getRunId();

        client.deleteExperiment(experimentId);
        assertEquals("deleted", client.getExperiment(experimentId).getLifecycleStage());
        assertEquals("deleted", client.getRun(runId).getInfo().getLifecycleStage(), "runs follow their experiment");
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.createRun(experimentId));

        client.restoreExperiment(experimentId);
        assertEquals("active", client.getExperiment(experimentId).getLifecycleStage());
        assertEquals("active", client.getRun(runId).getInfo().getLifecycleStage());
    }

    private static List<String> ids(ExperimentsPage page) {
        return page.getItems().stream().map(Experiment::getExperimentId).toList();
    }
}
