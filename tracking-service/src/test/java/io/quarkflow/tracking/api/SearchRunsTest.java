package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * runs/search over a small, known experiment: r1..r4 active, r5 deleted. Each assertion names the runs it expects,
 * in order where the order is defined.
 */
@QuarkusTest
class SearchRunsTest {

    private String experimentId;
    private final Map<String, String> idsByName = new HashMap<>();
    private final Map<String, String> namesById = new HashMap<>();

    @BeforeEach
    void seed() {
        experimentId = createExperiment();
        run("r1", 1000, List.of(metric("m", 1.0, 1, 0), metric("acc", 0.9, 1, 0)),
                List.of(param("alpha", "0.1"), param("model", "cnn")), List.of(tag("team", "vision"), tag("user name", "ann"), tag("size", "m")));
        run("r2", 2000, List.of(metric("m", 2.0, 1, 0)), List.of(param("alpha", "0.2"), param("model", "rnn")),
                List.of(tag("team", "nlp"), tag("size", "l")));
        run("r3", 3000, List.of(metric("m", "NaN", 1, 0)), List.of(param("alpha", "0.3")), List.of(tag("team", "Vision"),
                tag("size", "s")));
        run("r4", 4000, List.of(), List.of(), List.of());
        run("r5", 5000, List.of(metric("m", 3.0, 1, 0)), List.of(), List.of());
        post("runs/update", Map.of("run_id", idsByName.get("r1"), "status", "FINISHED", "end_time", 1500)).statusCode(200);
        post("runs/delete", Map.of("run_id", idsByName.get("r5"))).statusCode(200);
        post("runs/log-inputs", Map.of("run_id", idsByName.get("r4"), "datasets", List.of(Map.of(
                "tags", List.of(tag("mlflow.data.context", "training")),
                "dataset", Map.of("name", "train-ds", "digest", "abc", "source_type", "local", "source", "/d")))))
                .statusCode(200);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.m > 1.5                       | r2",
        "metrics.m >= 1                        | r2,r1",
        "metric.m = 1                          | r1",
        "metrics.m != 1                        | r2",
        "metrics.m < 2                         | r1",
        "metrics.m <= 2.0                      | r2,r1",
        "metrics.acc > 0.5 and metrics.m < 5   | r1",
        "params.alpha = '0.1'                  | r1",
        "param.alpha != '0.1'                  | r3,r2",
        "parameters.model LIKE 'c%'            | r1",
        "params.model ILIKE 'RN_'              | r2",
        "tags.team = 'vision'                  | r1",
        "tag.team ILIKE 'VISION'               | r3,r1",
        "tags.team LIKE '%i%'                  | r3,r1",
        "tags.\"user name\" = 'ann'            | r1",
        "tags.`user name` != 'bob'             | r1",
        "attributes.status = 'FINISHED'        | r1",
        "status != 'FINISHED'                  | r4,r3,r2",
        "attr.start_time >= 3000               | r4,r3",
        "run.created < 2000                    | r1",
        "attributes.end_time > 0               | r1",
        "datasets.name = 'train-ds'            | r4",
        "dataset.digest IN ('abc', 'zzz')      | r4",
        "datasets.context = 'training'         | r4",
        "datasets.name NOT IN ('train-ds')     | ''",
        "metrics.m > 0 AND params.alpha = '0.2' | r2",
    })
    void filtersByEveryIdentifierAndComparator(String filter, String expected) {
        assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split(",")), names(search(filter, List.of())));
    }

    @Test
    void filtersByRunNameAndRunIdLists() {
        String r1 = idsByName.get("r1");
        String r2 = idsByName.get("r2");
        String prefix = "search-" + experimentId + "-";
        assertEquals(List.of("r4", "r3", "r2", "r1"), names(search("attributes.run_name LIKE '" + prefix + "%'", List.of())));
        assertEquals(List.of("r2"), names(search("\"Run name\" = '" + prefix + "r2'", List.of())));
        assertEquals(List.of("r2", "r1"), names(search("attributes.run_id IN ('" + r1 + "', '" + r2 + "')", List.of())));
        assertEquals(List.of("r4", "r3"), names(search("run_id NOT IN ('" + r1 + "', '" + r2 + "')", List.of())));
        assertEquals(List.of("r2"), names(search("tags.\"mlflow.runName\" = '" + prefix + "r2'", List.of())));
    }

    @Test
    void metricFiltersCompareTheLatestValueOnly() {
        // r2's m was 2.0 at step 0; a later step brings it to 0.5 and an earlier one to 9, so only 0.5 counts.
        logBatch(idsByName.get("r2"), List.of(metric("m", 0.5, 2, 1), metric("m", 9.0, 3, -1)), List.of(), List.of())
                .statusCode(200);
        assertEquals(List.of("r1"), names(search("metrics.m >= 1", List.of())));
        assertEquals(List.of("r2"), names(search("metrics.m < 1", List.of())));
        assertEquals(List.of("r1", "r2", "r3", "r4"), names(search("", List.of("metrics.m DESC"))));
    }

    @Test
    void viewTypesSelectLifecycleStages() {
        assertEquals(List.of("r5"), names(search(Map.of("run_view_type", "DELETED_ONLY"))));
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), names(search(Map.of("run_view_type", "ALL"))));
        assertEquals(List.of("r4", "r3", "r2", "r1"), names(search(Map.of("run_view_type", 1))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.m DESC                     | r2,r1,r3,r4",
        "metrics.m                          | r1,r2,r3,r4",
        "params.alpha DESC                  | r3,r2,r1,r4",
        "params.model ASC                   | r1,r2,r4,r3",
        "tags.size asc                      | r2,r1,r3,r4",
        "attributes.start_time ASC          | r1,r2,r3,r4",
        "attributes.end_time DESC           | r1,r4,r3,r2",
        "`metrics`.`acc` DESC               | r1,r4,r3,r2",
    })
    void ordersWithMissingKeysLast(String orderBy, String expected) {
        assertEquals(List.of(expected.split(",")), names(search("", List.of(orderBy))));
    }

    @Test
    void defaultOrderIsNewestFirst() {
        assertEquals(List.of("r4", "r3", "r2", "r1"), names(search("", List.of())));
    }

    @Test
    void searchesSeveralExperimentsAtOnce() {
        String other = createExperiment();
        String otherRun = post("runs/create", Map.of("experiment_id", other, "run_name", "other", "start_time", 4500))
                .statusCode(200).extract().path("run.info.run_id");
        List<String> ids = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId, other))))
                .getList("runs.info.run_id");
        assertEquals(List.of(otherRun, idsByName.get("r4"), idsByName.get("r3"), idsByName.get("r2"), idsByName.get("r1")),
                ids);
    }

    @Test
    void pagesStayCorrectWhenRunsAreInsertedBetweenPages() {
        JsonPath first = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 2)));
        assertEquals(List.of("r4", "r3"), names(first));
        run("newest", 9000, List.of(), List.of(), List.of());
        run("oldest", 10, List.of(), List.of(), List.of());
        JsonPath second = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 2,
                "page_token", first.getString("next_page_token"))));
        assertEquals(List.of("r2", "r1"), names(second));
        JsonPath third = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 2,
                "page_token", second.getString("next_page_token"))));
        assertEquals(List.of("oldest"), names(third));
        assertNull(third.getString("next_page_token"));
    }

    @Test
    void pagesThroughAMetricOrderingWithoutDuplicates() {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("experiment_ids", List.of(experimentId),
                    "max_results", 1, "order_by", List.of("metrics.m DESC")));
            if (token != null) {
                body.put("page_token", token);
            }
            JsonPath page = json(post("runs/search", body));
            seen.addAll(names(page));
            token = page.getString("next_page_token");
        } while (token != null);
        assertEquals(List.of("r2", "r1", "r3", "r4"), seen);
    }

    @Test
    void returnsRunDataWithEachRun() {
        JsonPath found = search("params.alpha = '0.1'", List.of());
        assertEquals(List.of("alpha", "model"), found.getList("runs[0].data.params.key"));
        assertEquals(List.of("acc", "m"), found.getList("runs[0].data.metrics.key"));
        assertEquals("train-ds", search("datasets.name = 'train-ds'", List.of())
                .getString("runs[0].inputs.dataset_inputs[0].dataset.name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.m > 'x'", "params.alpha > '1'", "params.alpha = 1", "tags.team IN ('a')",
        "attributes.foo = 'x'", "attributes.run_name IN ('a')", "attributes.start_time = 'x'", "datasets.size = 'x'",
        "metrics.m = 1 OR metrics.m = 2", "metrics.m", "bogus.m > 1", "metrics.m > 1 )", "datasets.name = 3"})
    void rejectsMalformedFilters(String filter) {
        invalid(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter", filter)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus.m DESC", "metrics.m UPWARDS", "attributes.foo", "datasets.name", ""})
    void rejectsMalformedOrderBy(String orderBy) {
        invalid(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "order_by", List.of(orderBy))));
    }

    @Test
    void rejectsBadPagingInput() {
        invalid(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "page_token", "garbage")));
        invalid(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 50001)));
        invalid(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 0)));
        String token = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 1)))
                .getString("next_page_token");
        invalid(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 1,
                "order_by", List.of("metrics.m"), "page_token", token)));
    }

    private void run(String name, long startTime, List<?> metrics, List<?> params, List<?> tags) {
        String runName = "search-" + experimentId + "-" + name;
        String runId = post("runs/create", Map.of("experiment_id", experimentId, "run_name", runName,
                "start_time", startTime)).statusCode(200).extract().path("run.info.run_id");
        idsByName.put(name, runId);
        namesById.put(runId, name);
        if (!metrics.isEmpty() || !params.isEmpty() || !tags.isEmpty()) {
            logBatch(runId, metrics, params, tags).statusCode(200);
        }
    }

    private JsonPath search(String filter, List<String> orderBy) {
        return search(Map.of("filter", filter, "order_by", orderBy));
    }

    private JsonPath search(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("experiment_ids", List.of(experimentId));
        return json(post("runs/search", body));
    }

    private List<String> names(JsonPath page) {
        List<String> ids = page.getList("runs.info.run_id");
        return ids == null ? List.of() : ids.stream().map(namesById::get).toList();
    }
}
