package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.API;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.history;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.many;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** metrics/get-history (full and paged) and metrics/get-history-bulk-interval (sampled, for the UI's charts). */
@QuarkusTest
class MetricHistoryTest {

    @Test
    void historyWithoutMaxResultsReturnsEveryPointInStepOrder() {
        String runId = createRun();
        List<Map<String, Object>> points = many(25, i -> metric("loss", 1.0 / (i + 1), 1000 + i, i));
        Collections.shuffle(points);
        logBatch(runId, points, List.of(), List.of()).statusCode(200);

        JsonPath history = history(runId, "loss");
        List<Integer> steps = history.getList("metrics.step", Integer.class);
        assertEquals(IntStream.range(0, 25).boxed().toList(), steps);
        assertEquals(Set.of("loss"), new HashSet<>(history.getList("metrics.key")));
        assertNull(history.get("next_page_token"));
        assertNull(history.get("metrics[0].run_id"), "run_id is only set by the bulk endpoints");
    }

    @Test
    void pagesCoverTheWholeHistoryOnceInOrder() {
        String runId = createRun();
        List<Map<String, Object>> points = many(30, i -> metric("acc", (double) (i % 3), 500 - i, i % 10));
        points.add(metric("acc", "NaN", 1, 4));
        logBatch(runId, points, List.of(), List.of()).statusCode(200);
        List<Map<String, Object>> full = history(runId, "acc").getList("metrics");
        assertEquals(31, full.size());

        List<Map<String, Object>> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            RequestSpecification request = given().queryParam("run_id", runId).queryParam("metric_key", "acc")
                    .queryParam("max_results", 4);
            if (token != null) {
                request.queryParam("page_token", token);
            }
            JsonPath page = json(request.get(API + "metrics/get-history").then());
            List<Map<String, Object>> items = page.getList("metrics");
            assertTrue(items.size() <= 4);
            paged.addAll(items);
            token = page.getString("next_page_token");
            pages++;
        } while (token != null && pages < 20);

        assertEquals(full, paged);
        assertEquals(8, pages);
        // MLflow's history order: timestamp, then step, then value.
        List<Long> timestamps = paged.stream().map(m -> ((Number) m.get("timestamp")).longValue()).toList();
        assertEquals(timestamps.stream().sorted().toList(), timestamps);
    }

    @Test
    void aHistoryLongerThanOneReadComesWholeInOrderAndPagesAcrossReads() {
        String runId = createRun();
        int count = 22_000; // MetricService reads 10,000 points at a time
        for (int first = 0; first < count; first += 1000) {
            int from = first;
            logBatch(runId, many(1000, i -> metric("long", (double) (from + i), from + i, from + i)), List.of(),
                    List.of()).statusCode(200);
        }

        JsonPath whole = history(runId, "long");
        List<Long> steps = whole.getList("metrics.step", Long.class);
        assertTrue(LongStream.range(0, count).boxed().toList().equals(steps), steps.size() + " points, not in order");
        assertNull(whole.get("next_page_token"));

        JsonPath first = json(given().queryParam("run_id", runId).queryParam("metric_key", "long")
                .queryParam("max_results", 15_000).get(API + "metrics/get-history").then());
        JsonPath second = json(given().queryParam("run_id", runId).queryParam("metric_key", "long")
                .queryParam("max_results", 15_000).queryParam("page_token", first.getString("next_page_token"))
                .get(API + "metrics/get-history").then());
        List<Map<String, Object>> paged = new ArrayList<>(first.getList("metrics"));
        assertEquals(15_000, paged.size());
        paged.addAll(second.getList("metrics"));
        assertNull(second.get("next_page_token"));
        assertTrue(whole.getList("metrics").equals(paged), "the pages differ from the whole history");
    }

    @Test
    void historyErrors() {
        String runId = createRun();
        fails(get("metrics/get-history", "run_id", "0123456789abcdef0123456789abcdef", "metric_key", "m"),
                404, "RESOURCE_DOES_NOT_EXIST");
        invalid(get("metrics/get-history", "run_id", runId));
        invalid(get("metrics/get-history", "metric_key", "m"));
        invalid(get("metrics/get-history", "run_id", runId, "metric_key", "m", "max_results", "abc"));
        invalid(get("metrics/get-history", "run_id", runId, "metric_key", "m", "max_results", "-1"));
        invalid(get("metrics/get-history", "run_id", runId, "metric_key", "m", "page_token", "%%%"));
        assertNull(history(runId, "never-logged").get("metrics"));
    }

    /**
     * A point logged again, in another request or twice in one, is stored again (metric_chunks has no unique key) and
     * every read answers it once, as MLflow does.
     */
    @Test
    void aPointLoggedAgainComesOnceFromEveryRead() {
        String runId = createRun();
        logBatch(runId, List.of(metric("loss", 0.5, 7, 1), metric("loss", 0.5, 7, 1), metric("loss", 0.4, 8, 2)),
                List.of(), List.of()).statusCode(200);
        logBatch(runId, List.of(metric("loss", 0.5, 7, 1), metric("loss", 0.3, 9, 3)), List.of(), List.of())
                .statusCode(200);

        List<Integer> once = List.of(1, 2, 3);
        assertEquals(once, history(runId, "loss").getList("metrics.step", Integer.class));
        JsonPath firstPage = json(get("metrics/get-history", "run_id", runId, "metric_key", "loss", "max_results", "2"));
        assertEquals(List.of(1, 2), firstPage.getList("metrics.step", Integer.class));
        assertEquals(List.of(3), json(get("metrics/get-history", "run_id", runId, "metric_key", "loss",
                "page_token", firstPage.getString("next_page_token"))).getList("metrics.step", Integer.class));
        assertEquals(once, json(given().queryParam("run_id", runId).queryParam("metric_key", "loss")
                .get(AJAX + "metrics/get-history-bulk").then()).getList("metrics.step", Integer.class));
        assertEquals(once, json(bulkInterval(bulk(runId).queryParam("metric_key", "loss")))
                .getList("metrics.step", Integer.class));
    }

    @Test
    void bulkIntervalSamplesEveryRunKeepingFirstAndLastStep() {
        String experimentId = createExperiment();
        String first = createRun(experimentId);
        String second = createRun(experimentId);
        for (String runId : List.of(first, second)) {
            logBatch(runId, many(1000, i -> metric("loss", i * 0.5, 10_000 + i, i)), List.of(), List.of())
                    .statusCode(200);
        }

        JsonPath sampled = json(bulk(first, second).queryParam("metric_key", "loss").queryParam("max_results", 10)
                .get(AJAX + "metrics/get-history-bulk-interval").then());
        List<Map<String, Object>> metrics = sampled.getList("metrics");
        for (String runId : List.of(first, second)) {
            TreeSet<Integer> steps = new TreeSet<>();
            metrics.stream().filter(m -> runId.equals(m.get("run_id"))).forEach(m -> steps.add((Integer) m.get("step")));
            assertTrue(steps.size() >= 10 && steps.size() <= 12, "sampled steps of " + runId + ": " + steps);
            assertEquals(0, steps.first());
            assertEquals(999, steps.last());
        }
        assertEquals(Set.of(first, second), new HashSet<>(sampled.getList("metrics.run_id")));
        assertEquals(Set.of("loss"), new HashSet<>(sampled.getList("metrics.key")));
    }

    @Test
    void bulkIntervalStaysWithinTheStepRange() {
        String runId = createRun();
        logBatch(runId, many(300, i -> metric("m", i, 1, i)), List.of(), List.of()).statusCode(200);

        JsonPath sampled = json(bulk(runId).queryParam("metric_key", "m").queryParam("start_step", 100)
                .queryParam("end_step", 200).queryParam("max_results", 5)
                .get(API + "metrics/get-history-bulk-interval").then());
        TreeSet<Integer> steps = new TreeSet<>(sampled.getList("metrics.step", Integer.class));
        assertTrue(steps.size() <= 6, steps.toString());
        assertEquals(100, steps.first());
        assertEquals(200, steps.last());
    }

    /** 100 run ids make a query string over 4 kB, longer than Vert.x accepts by default. */
    @Test
    void bulkIntervalAcceptsTheUisMaximumOfOneHundredRuns() {
        String experimentId = createExperiment();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            runIds.add(createRun(experimentId));
        }
        logBatch(runIds.get(0), List.of(metric("m", 1.0, 1, 0)), List.of(), List.of()).statusCode(200);
        logBatch(runIds.get(99), List.of(metric("m", 2.0, 1, 3)), List.of(), List.of()).statusCode(200);

        JsonPath sampled = json(bulkInterval(bulk(runIds.toArray(String[]::new)).queryParam("metric_key", "m")));
        assertEquals(Set.of(runIds.get(0), runIds.get(99)), new HashSet<>(sampled.getList("metrics.run_id")));
    }

    @Test
    void bulkIntervalArgumentErrors() {
        String runId = createRun();
        invalid(bulkInterval(bulk(runId).queryParam("metric_key", "m").queryParam("start_step", 1)));
        invalid(bulkInterval(bulk(runId).queryParam("metric_key", "m").queryParam("end_step", 1)));
        invalid(bulkInterval(bulk(runId).queryParam("metric_key", "m").queryParam("start_step", 5).queryParam("end_step", 4)));
        invalid(bulkInterval(bulk(runId).queryParam("metric_key", "m").queryParam("max_results", 0)));
        invalid(bulkInterval(bulk(runId).queryParam("metric_key", "m").queryParam("max_results", 2501)));
        invalid(bulkInterval(bulk(runId)));
        invalid(bulkInterval(given().queryParam("metric_key", "m")));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(String.format("%032x", i));
        }
        invalid(bulkInterval(bulk(tooMany.toArray(String[]::new)).queryParam("metric_key", "m")));
        fails(bulkInterval(bulk(runId, "0123456789abcdef0123456789abcdef").queryParam("metric_key", "m")),
                404, "RESOURCE_DOES_NOT_EXIST");
        json(bulkInterval(bulk(runId).queryParam("metric_key", "m").queryParam("max_results", 2500)));
    }

    private static RequestSpecification bulk(String... runIds) {
        RequestSpecification request = given();
        for (String runId : runIds) {
            request.queryParam("run_ids", runId);
        }
        return request;
    }

    private static ValidatableResponse bulkInterval(RequestSpecification request) {
        return request.get(API + "metrics/get-history-bulk-interval").then();
    }
}
