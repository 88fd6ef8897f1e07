package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createModel;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * logged-models/search: filters, datasets, ordering and paging. Each test builds its own experiment: models a and b
 * named "model", c named "other", d deleted; a from a run, with a param, a tag and accuracies on two datasets.
 */
@QuarkusTest
class SearchLoggedModelsTest {

    /** Model ids by letter, and the experiment and run they are in. */
    private record Models(String experimentId, String runId, Map<String, String> ids) {

        String id(String letter) {
            return ids.get(letter);
        }

        /** The letters of the ids found; an empty result has no "models" at all (null). */
        List<String> letters(List<String> modelIds) {
            List<String> letters = new ArrayList<>();
            for (String modelId : modelIds == null ? List.<String>of() : modelIds) {
                ids.forEach((letter, id) -> {
                    if (id.equals(modelId)) {
                        letters.add(letter);
                    }
                });
            }
            return letters;
        }
    }

    private static Models models() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        Map<String, String> ids = new HashMap<>();
        ids.put("a", createModel(experimentId, "name", "model", "source_run_id", runId, "model_type", "classifier",
                "params", List.of(param("alpha", "0.1")), "tags", List.of(tag("team", "vision"))));
        nextMillisecond();
        ids.put("b", createModel(experimentId, "name", "model"));
        nextMillisecond();
        ids.put("c", createModel(experimentId, "name", "other"));
        nextMillisecond();
        ids.put("d", createModel(experimentId, "name", "model"));
        delete("logged-models/" + ids.get("d"), Map.of("model_id", ids.get("d"))).statusCode(200);
        logBatch(runId, List.of(
                withModel(metric("acc", 0.9, 100, 0), ids.get("a"), "train", "d1"),
                withModel(metric("acc", 0.95, 200, 0), ids.get("a"), "eval", "d2"),
                withModel(metric("acc", 0.5, 100, 0), ids.get("b"), null, null)), List.of(), List.of()).statusCode(200);
        return new Models(experimentId, runId, ids);
    }

    @Test
    void withoutFilterNewestFirstWithoutDeletedModels() {
        Models m = models();
        JsonPath found = search(m, Map.of());
        assertEquals(List.of("c", "b", "a"), m.letters(found.getList("models.info.model_id")));
        assertNull(found.get("next_page_token"));
        // The whole model comes back, as from get.
        assertEquals(json(TrackingApi.get("logged-models/" + m.id("a"))).getMap("model"), found.getMap("models[2]"));
        assertEquals(2, found.getList("models[2].data.metrics").size());
    }

    @Test
    void whatTheClientAndTheUiFilterBy() {
        Models m = models();
        assertEquals(List.of("b", "a"), letters(m, "name = 'model'"));
        assertEquals(List.of("c", "a"), letters(m, "attributes.model_id IN ('" + m.id("a") + "', '" + m.id("c") + "')"));
        assertEquals(List.of("a"), letters(m, "source_run_id = '" + m.runId() + "'"));
    }

    @Test
    void attributesParamsTagsAndMetrics() {
        Models m = models();
        assertEquals(List.of("c"), letters(m, "name != 'model'"));
        assertEquals(List.of("c"), letters(m, "name NOT IN ('model')"));
        assertEquals(List.of("b", "a"), letters(m, "name LIKE 'mod%'"));
        assertEquals(List.of("b", "a"), letters(m, "name ILIKE 'MOD%'"));
        assertEquals(List.of("a"), letters(m, "`model_type` = 'classifier'"));
        // As MLflow stores it, an absent model type is the empty string.
        assertEquals(List.of("c", "b"), letters(m, "model_type = ''"));
        assertEquals(List.of("a"), letters(m, "params.alpha = '0.1'"));
        assertEquals(List.of("a"), letters(m, "tags.team LIKE 'vis%'"));
        assertEquals(List.of(), letters(m, "tags.team = 'other'"));
        // Any point of the metric counts, not only the latest.
        assertEquals(List.of("a"), letters(m, "metrics.acc > 0.8"));
        assertEquals(List.of("a"), letters(m, "metrics.acc < 0.91 and metrics.acc > 0.94"));
        assertEquals(List.of("b", "a"), letters(m, "metrics.acc >= 0.5 AND name = 'model'"));
        assertEquals(List.of("c", "b", "a"), letters(m, "creation_timestamp > 0"));
        assertEquals(List.of(), letters(m, "creation_time < 0"));
    }

    @Test
    void statusByNumberAsMlflowOrByName() {
        Models m = models();
        patch("logged-models/" + m.id("c"), Map.of("model_id", m.id("c"), "status", "LOGGED_MODEL_READY")).statusCode(200);
        assertEquals(List.of("c"), letters(m, "status = 'LOGGED_MODEL_READY'"));
        assertEquals(List.of("c"), letters(m, "status = 2"));
        assertEquals(List.of("b", "a"), letters(m, "status = '1'"));
        assertEquals(List.of("b", "a"), letters(m, "status != 'LOGGED_MODEL_READY'"));
        assertEquals(List.of("c", "b", "a"), letters(m, "status IN ('LOGGED_MODEL_READY', 'LOGGED_MODEL_PENDING')"));
        assertEquals(List.of("b", "a"), letters(m, "status NOT IN ('LOGGED_MODEL_READY')"));
    }

    @Test
    void datasetsRestrictWhichMetricsCount() {
        Models m = models();
        assertEquals(List.of("a"), letters(m, "metrics.acc > 0.92", List.of(dataset("eval", null))));
        assertEquals(List.of(), letters(m, "metrics.acc > 0.92", List.of(dataset("train", null))));
        assertEquals(List.of("a"), letters(m, "metrics.acc > 0.92", List.of(dataset("train", null), dataset("eval", "d2"))));
        assertEquals(List.of(), letters(m, "metrics.acc > 0.92", List.of(dataset("eval", "other-digest"))));
        // Datasets alone: the models with any metric on one of them. MLflow's server matches nothing when the digest
        // is left out (it compares the digest with NULL); an absent digest means any digest here, as its docs say.
        assertEquals(List.of("a"), letters(m, null, List.of(dataset("train", null))));
        assertEquals(List.of("a"), letters(m, null, List.of(dataset("train", "d1"))));
        assertEquals(List.of(), letters(m, null, List.of(dataset("train", "d2"))));
        invalid(search(m.experimentId(), null, List.of(Map.of("dataset_digest", "d1")), List.of(), null, null))
                .body("message", equalTo("`dataset_name` in the `datasets` clause must be specified."));
    }

    @Test
    void orderByAttributesThenNewestFirst() {
        Models m = models();
        assertEquals(List.of("b", "a", "c"), ordered(m, order("name", true)));
        assertEquals(List.of("c", "b", "a"), ordered(m, order("name", false)));
        assertEquals(List.of("a", "b", "c"), ordered(m, order("creation_time", true)));
        assertEquals(List.of("c", "b", "a"), ordered(m, order("creation_timestamp_ms", false)));
        // What the UI sends for every experiment's runs table.
        assertEquals(List.of("c", "b", "a"), ordered(m, order("creation_time", false)));
    }

    @Test
    void orderByTheLatestMetricValueMissingLast() {
        Models m = models();
        // a's latest acc is 0.95 (timestamp 200), b's 0.5; c has none and comes last either way.
        assertEquals(List.of("a", "b", "c"), ordered(m, order("metrics.acc", false)));
        assertEquals(List.of("b", "a", "c"), ordered(m, order("metrics.acc", true)));
        Map<String, Object> onTrain = order("metrics.acc", true);
        onTrain.put("dataset_name", "train");
        // On "train" only a has a value; b and c follow, newest first.
        assertEquals(List.of("a", "c", "b"), ordered(m, onTrain));
    }

    @Test
    void pagesWalkTheWholeOrderOnce() {
        Models m = models();
        for (Map<String, Object> orderBy : List.of(order("creation_time", false), order("name", true),
                order("metrics.acc", false))) {
            List<String> all = ordered(m, orderBy);
            List<String> paged = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                JsonPath page = json(search(m.experimentId(), null, List.of(), List.of(orderBy), 1L, token));
                paged.addAll(m.letters(page.getList("models.info.model_id")));
                token = page.getString("next_page_token");
                pages++;
            } while (token != null);
            assertEquals(all, paged, orderBy.toString());
            assertEquals(3, pages);
        }
    }

    @Test
    void aPageTokenBelongsToItsSearch() {
        Models m = models();
        String token = json(search(m.experimentId(), null, List.of(), List.of(), 1L, null)).getString("next_page_token");
        assertTrue(token != null && !token.isEmpty());
        invalid(search(m.experimentId(), "name = 'model'", List.of(), List.of(), 1L, token));
        invalid(search(m.experimentId(), null, List.of(), List.of(order("name", true)), 1L, token));
        invalid(search(m.experimentId(), null, List.of(), List.of(), 1L, "bogus"));
    }

    @Test
    void maxResultsDefaultsToFifty() {
        String experimentId = createExperiment();
        for (int i = 0; i < 51; i++) {
            createModel(experimentId);
        }
        JsonPath first = json(post("logged-models/search", Map.of("experiment_ids", List.of(experimentId))));
        assertEquals(50, first.getList("models").size(), "MLflow's proto default");
        JsonPath rest = json(post("logged-models/search", Map.of("experiment_ids", List.of(experimentId),
                "page_token", first.getString("next_page_token"))));
        assertEquals(1, rest.getList("models").size());
        assertNull(rest.get("next_page_token"));
        invalid(post("logged-models/search", Map.of("experiment_ids", List.of(experimentId), "max_results", -1)));
    }

    @Test
    void experimentIdsAreRequiredAndScopeTheSearch() {
        Models m = models();
        String other = createExperiment();
        createModel(other, "name", "model");
        invalid(post("logged-models/search", Map.of())).body("message", equalTo("Missing value for required parameter "
                + "'experiment_ids'. See the API docs for more information about request parameters."));
        post("logged-models/search", Map.of("experiment_ids", List.of())).statusCode(200).body(equalTo("{}"));
        post("logged-models/search", Map.of("experiment_ids", List.of("987654321"))).statusCode(200).body(equalTo("{}"));
        assertEquals(3, json(post("logged-models/search", Map.of("experiment_ids", List.of(m.experimentId(), other),
                "filter", "name = 'model'"))).getList("models").size());
    }

    @Test
    void badFiltersAndOrdersAreMlflowsErrors() {
        Models m = models();
        invalid(search(m.experimentId(), "name > 'model'", List.of(), List.of(), null, null)).body("message", equalTo(
                "Invalid comparison operator for attributes.name: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', "
                        + "'IN', 'NOT IN')."));
        invalid(search(m.experimentId(), "metric.acc > 0", List.of(), List.of(), null, null)).body("message", equalTo(
                "Invalid entity type: 'metric'. Expected one of ['attributes', 'metrics', 'params', 'tags']."));
        invalid(search(m.experimentId(), "name = 'model' OR name = 'x'", List.of(), List.of(), null, null));
        // MLflow's server answers these two with a 500.
        invalid(search(m.experimentId(), "foo = 'x'", List.of(), List.of(), null, null));
        invalid(search(m.experimentId(), "metrics.acc > 'abc'", List.of(), List.of(), null, null));
        invalid(search(m.experimentId(), null, List.of(), List.of(order("foo", true)), null, null))
                .body("message", equalTo("Invalid order by field name: foo"));
        invalid(search(m.experimentId(), null, List.of(), List.of(order("params.alpha", true)), null, null))
                .body("message", equalTo("Invalid order by field name: params.alpha. Only metrics are supported."));
        invalid(search(m.experimentId(), null, List.of(), List.of(Map.of("ascending", false)), null, null))
                .body("message", equalTo("Invalid order by field name: "));
    }

    /** Creation times differ, so "newest first" is one order (ties would go by model id). */
    private static void nextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() <= now + 1) {
            Thread.onSpinWait();
        }
    }

    private static Map<String, Object> withModel(Map<String, Object> metric, String modelId, String dataset, String digest) {
        metric.put("model_id", modelId);
        if (dataset != null) {
            metric.put("dataset_name", dataset);
            metric.put("dataset_digest", digest);
        }
        return metric;
    }

    private static Map<String, Object> dataset(String name, String digest) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("dataset_name", name);
        if (digest != null) {
            dataset.put("dataset_digest", digest);
        }
        return dataset;
    }

    private static Map<String, Object> order(String field, boolean ascending) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("field_name", field);
        order.put("ascending", ascending);
        return order;
    }

    private static JsonPath search(Models m, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("experiment_ids", List.of(m.experimentId()));
        return json(post("logged-models/search", body));
    }

    private static ValidatableResponse search(String experimentId, String filter, List<Map<String, Object>> datasets,
                                              List<Map<String, Object>> orderBy, Long maxResults, String pageToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_ids", List.of(experimentId));
        if (filter != null) {
            body.put("filter", filter);
        }
        body.put("datasets", datasets);
        body.put("order_by", orderBy);
        if (maxResults != null) {
            body.put("max_results", maxResults);
        }
        if (pageToken != null) {
            body.put("page_token", pageToken);
        }
        return post("logged-models/search", body);
    }

    private static List<String> letters(Models m, String filter) {
        return letters(m, filter, List.of());
    }

    private static List<String> letters(Models m, String filter, List<Map<String, Object>> datasets) {
        return m.letters(json(search(m.experimentId(), filter, datasets, List.of(), null, null))
                .getList("models.info.model_id"));
    }

    private static List<String> ordered(Models m, Map<String, Object> orderBy) {
        return m.letters(json(search(m.experimentId(), null, List.of(), List.of(orderBy), null, null))
                .getList("models.info.model_id"));
    }
}
