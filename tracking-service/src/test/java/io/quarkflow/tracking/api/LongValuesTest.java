package io.quarkflow.tracking.api;

import io.quarkflow.tracking.domain.RunSearchRules;
import io.quarkflow.tracking.domain.ViewType;
import io.quarkflow.tracking.store.RunSearchSql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every value within MLflow's limits is stored whole and found by search: params of 6,000 characters, tags (notes
 * among them) and run names of 8,000, logged model names of any length, as random characters that PostgreSQL cannot
 * compress, in ASCII and as characters of four UTF-8 bytes each. Search finds them through the indexed prefix of a
 * value (migration V7) and tells apart values that share a long prefix.
 */
@QuarkusTest
class LongValuesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NOTE = "mlflow.note.content";
    private static final String RUN_NAME = "mlflow.runName";

    @Inject
    Pool pool;

    @Test
    void paramsOfMlflowsLimitAreStoredWholeAndFound() {
        String experimentId = createExperiment();
        String ascii = random(6000);
        String wide = randomWide(6000);
        String twin = ascii.substring(0, 5999) + (ascii.endsWith("A") ? "B" : "A");
        String logged = createRun(experimentId);
        post("runs/log-parameter", Map.of("run_id", logged, "key", "x", "value", ascii)).statusCode(200);
        post("runs/log-parameter", Map.of("run_id", logged, "key", "w", "value", wide)).statusCode(200);
        String batched = createRun(experimentId);
        logBatch(batched, List.of(metric("loss", 0.5, 1, 0), metric("loss", 0.25, 2, 1)), List.of(param("x", twin)),
                List.of(tag("t", "v"))).statusCode(200);

        JsonPath first = getRun(logged);
        assertEquals(ascii, first.getString("run.data.params.find { it.key == 'x' }.value"));
        assertEquals(wide, first.getString("run.data.params.find { it.key == 'w' }.value"));
        JsonPath second = getRun(batched);
        assertEquals(twin, second.getString("run.data.params.find { it.key == 'x' }.value"));
        assertEquals(0.25, second.getDouble("run.data.metrics.find { it.key == 'loss' }.value"));
        assertEquals(2, TrackingApi.history(batched, "loss").getList("metrics").size());

        assertEquals(List.of(logged), search(experimentId, "params.x = '" + ascii + "'"));
        assertEquals(List.of(batched), search(experimentId, "params.x = '" + twin + "'"));
        assertEquals(List.of(logged), search(experimentId, "params.w = '" + wide + "'"));
        assertEquals(List.of(batched), search(experimentId, "params.x != '" + ascii + "'"));
        assertEquals(List.of(batched, logged), search(experimentId, "params.x LIKE '" + ascii.substring(0, 300) + "%'"));
        assertEquals(List.of(logged), search(experimentId, "params.x LIKE '" + ascii.substring(0, 5999) + "_' and "
                + "params.x LIKE '%" + ascii.substring(5990) + "'"));
        assertEquals(List.of(logged), search(experimentId, "params.w LIKE '" + wide.substring(0, 2000) + "%'"));
        assertEquals(List.of(), search(experimentId, "params.x = '" + ascii.substring(0, 5999) + "'"));
    }

    @Test
    void tagsAndNotesOfMlflowsLimitAreStoredWholeAndFound() {
        String experimentId = createExperiment();
        String value = random(8000);
        String note = randomWide(8000);
        String batchedValue = random(8000);
        String runId = createRun(experimentId);
        createRun(experimentId);
        post("runs/set-tag", Map.of("run_id", runId, "key", "y", "value", value)).statusCode(200);
        post("runs/set-tag", Map.of("run_id", runId, "key", NOTE, "value", note)).statusCode(200);
        logBatch(runId, List.of(metric("m", 1.0, 1, 0)), List.of(), List.of(tag("z", batchedValue))).statusCode(200);

        JsonPath run = getRun(runId);
        assertEquals(value, run.getString("run.data.tags.find { it.key == 'y' }.value"));
        assertEquals(note, run.getString("run.data.tags.find { it.key == '" + NOTE + "' }.value"));
        assertEquals(batchedValue, run.getString("run.data.tags.find { it.key == 'z' }.value"));
        assertEquals(1.0, run.getDouble("run.data.metrics.find { it.key == 'm' }.value"));

        assertEquals(List.of(runId), search(experimentId, "tags.y = '" + value + "'"));
        assertEquals(List.of(runId), search(experimentId, "tags.`" + NOTE + "` = '" + note + "'"));
        assertEquals(List.of(runId), search(experimentId, "tags.z = '" + batchedValue + "' and metrics.m = 1"));
        assertEquals(List.of(runId), search(experimentId, "tags.y ILIKE '" + value.substring(0, 500) + "%'"));
    }

    @Test
    void runNamesOfTheTagLimitAreStoredWholeAndFound() {
        String experimentId = createExperiment();
        String name = random(8000);
        String runId = post("runs/create", Map.of("experiment_id", experimentId, "run_name", name)).statusCode(200)
                .body("run.info.run_name", equalTo(name))
                .extract().path("run.info.run_id");
        createRun(experimentId);
        assertEquals(name, getRun(runId).getString("run.data.tags.find { it.key == '" + RUN_NAME + "' }.value"));
        assertEquals(List.of(runId), search(experimentId, "attributes.run_name = '" + name + "'"));
        assertEquals(List.of(runId), search(experimentId, "tags.`" + RUN_NAME + "` = '" + name + "'"));

        String renamed = randomWide(8000);
        post("runs/update", Map.of("run_id", runId, "run_name", renamed)).statusCode(200)
                .body("run_info.run_name", equalTo(renamed));
        assertEquals(renamed, getRun(runId).getString("run.info.run_name"));
        assertEquals(List.of(runId), search(experimentId, "tags.`" + RUN_NAME + "` = '" + renamed + "'"));
        assertEquals(List.of(), search(experimentId, "tags.`" + RUN_NAME + "` = '" + name + "'"));

        String tagged = random(8000);
        post("runs/set-tag", Map.of("run_id", runId, "key", RUN_NAME, "value", tagged)).statusCode(200);
        assertEquals(tagged, getRun(runId).getString("run.info.run_name"));
        assertEquals(List.of(runId), search(experimentId, "attributes.run_name = '" + tagged + "'"));
    }

    @Test
    void orderingByValuesThatShareALongPrefixPagesInValueOrder() {
        String experimentId = createExperiment();
        String common = random(300);
        Map<String, String> runsBySuffix = new LinkedHashMap<>();
        for (String suffix : List.of("b", "c", "a")) {
            String runId = createRun(experimentId);
            post("runs/log-parameter", Map.of("run_id", runId, "key", "p", "value", common + suffix + random(5000)))
                    .statusCode(200);
            runsBySuffix.put(suffix, runId);
        }
        String unset = createRun(experimentId);
        List<String> ascending = List.of(runsBySuffix.get("a"), runsBySuffix.get("b"), runsBySuffix.get("c"), unset);
        assertEquals(ascending, searchAllPages(experimentId, "params.p ASC"));
        assertEquals(List.of(ascending.get(2), ascending.get(1), ascending.get(0), unset),
                searchAllPages(experimentId, "params.p DESC"));
    }

    @Test
    void loggedModelNamesOfAnyLengthAreStoredWholeAndFound() {
        String experimentId = createExperiment();
        String name = random(8000).replace('/', 'x').replace('+', 'y');
        String twin = name.substring(0, 7999) + (name.endsWith("A") ? "B" : "A");
        String modelId = TrackingApi.createModel(experimentId, "name", name);
        String twinId = TrackingApi.createModel(experimentId, "name", twin);
        assertEquals(name, TrackingApi.getModel(modelId).getString("model.info.name"));
        for (Map.Entry<String, String> model : Map.of(name, modelId, twin, twinId).entrySet()) {
            assertEquals(List.of(model.getValue()), json(post("logged-models/search", Map.of("experiment_ids",
                    List.of(experimentId), "filter", "name = '" + model.getKey() + "'")))
                    .getList("models.info.model_id", String.class));
        }
    }

    @Test
    void valuesOverTheLimitsAreCutAsMlflowsServerDoesAndKeysAreRefusedWithItsMessage() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        String longParam = randomWide(6001);
        String longTag = random(8001);
        post("runs/log-parameter", Map.of("run_id", runId, "key", "p", "value", longParam)).statusCode(200);
        post("runs/set-tag", Map.of("run_id", runId, "key", "t", "value", longTag)).statusCode(200);
        String cutParam = longParam.substring(0, longParam.offsetByCodePoints(0, 6000));
        JsonPath run = getRun(runId);
        assertEquals(cutParam, run.getString("run.data.params.find { it.key == 'p' }.value"));
        assertEquals(longTag.substring(0, 8000), run.getString("run.data.tags.find { it.key == 't' }.value"));
        assertEquals(List.of(runId), search(experimentId, "params.p = '" + cutParam + "'"));

        String longKey = "k".repeat(251);
        invalid(post("runs/log-parameter", Map.of("run_id", runId, "key", longKey, "value", "v")))
                .body("message", equalTo("'Param key' exceeds the maximum length of 250 characters"));
        invalid(post("runs/set-tag", Map.of("run_id", runId, "key", longKey, "value", "v")))
                .body("message", equalTo("'key' exceeds the maximum length of 250 characters"));
        invalid(logBatch(runId, List.of(metric("kept-out", 1.0, 1, 0)), List.of(param(longKey, random(6000))), List.of()))
                .body("message", equalTo("'Param key' exceeds the maximum length of 250 characters"));
        assertNull(getRun(runId).get("run.data.metrics"), "a refused batch writes nothing");
    }

    @Test
    void searchOnALongValueGoesThroughThePrefixIndexInCustomAndGenericPlans() {
        long experimentId = Long.parseLong(createExperiment());
        String seed = random(8);
        String target = random(6000);
        pool.withTransaction(conn -> conn.preparedQuery("insert into runs (run_uuid, experiment_id, name, status, "
                        + "start_time, lifecycle_stage, artifact_uri) select md5($1 || g), $2, 'seed-' || g, 'FINISHED', g, "
                        + "'active', 'mlflow-artifacts:/seed' from generate_series(1, 5000) g")
                .execute(Tuple.of(seed, experimentId))
                .chain(() -> conn.preparedQuery("insert into params (run_uuid, key, value, experiment_id) select "
                                + "md5($1 || g), k, case when g = 1 and k = 'x' then $3 else repeat(md5(k || g || $1), 10) "
                                + "end, $2 from generate_series(1, 5000) g, unnest(array['x', 'y', 'z']) k")
                        .execute(Tuple.of(seed, experimentId, target)))
                .chain(() -> conn.preparedQuery("insert into tags (run_uuid, key, value, experiment_id) select "
                                + "md5($1 || g), 'team', md5(g || $1), $2 from generate_series(1, 5000) g")
                        .execute(Tuple.of(seed, experimentId))))
                .await().indefinitely();
        pool.query("analyze runs, params, tags").execute().await().indefinitely();

        for (String filter : List.of("params.x = '" + target + "'", "tags.team LIKE 'abc%'")) {
            RunSearchSql.Segment segment = RunSearchSql.build(new Long[] {experimentId}, ViewType.ACTIVE_ONLY,
                    RunSearchRules.filter(filter), List.of(), null, 1001).get(0);
            String index = filter.startsWith("params") ? "params_by_value_prefix" : "tags_by_value_prefix";
            String custom = plan("explain " + segment.sql(), segment.args());
            assertTrue(custom.contains(index), custom);
            String generic = genericPlan(segment);
            assertTrue(generic.contains(index), generic);
        }
        assertEquals(1, json(post("runs/search", Map.of("experiment_ids", List.of(String.valueOf(experimentId)),
                "filter", "params.x = '" + target + "'"))).getList("runs").size());

        RunSearchSql.Segment ordered = RunSearchSql.build(new Long[] {experimentId}, ViewType.ACTIVE_ONLY, List.of(),
                RunSearchRules.orderBy(List.of("params.x ASC")), null, 11).get(0);
        String walk = plan("explain " + ordered.sql(), ordered.args());
        assertTrue(walk.contains("params_by_value_prefix"), walk);
        assertFalse(walk.lines().anyMatch(line -> line.trim().startsWith("->  Sort") || line.startsWith("Sort")),
                "the first page is read in index order, not sorted whole:\n" + walk);
    }

    private String plan(String sql, List<Object> args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().stream()
                .map(row -> row.getString(0)).collect(Collectors.joining("\n"));
    }

    /** The plan PostgreSQL settles on for a statement it has prepared and executed several times: a generic one. */
    private String genericPlan(RunSearchSql.Segment segment) {
        String values = segment.args().stream().map(LongValuesTest::literal).collect(Collectors.joining(", "));
        return pool.withConnection(conn -> conn.query("set plan_cache_mode = force_generic_plan").execute()
                        .chain(() -> conn.query("prepare probe as " + segment.sql()).execute())
                        .chain(() -> conn.query("explain execute probe(" + values + ")").execute())
                        .call(() -> conn.query("deallocate probe").execute())
                        .call(() -> conn.query("reset plan_cache_mode").execute()))
                .await().indefinitely().stream().map(row -> row.getString(0)).collect(Collectors.joining("\n"));
    }

    /** Test values only: numbers and strings without quotes. */
    private static String literal(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }

    private static List<String> search(String experimentId, String filter) {
        List<String> runIds = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter", filter)))
                .getList("runs.info.run_id", String.class);
        return runIds == null ? List.of() : runIds;
    }

    private static List<String> searchAllPages(String experimentId, String orderBy) {
        List<String> runIds = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("experiment_ids", List.of(experimentId),
                    "order_by", List.of(orderBy), "max_results", 1));
            if (token != null) {
                body.put("page_token", token);
            }
            JsonPath page = json(post("runs/search", body));
            runIds.addAll(page.getList("runs.info.run_id", String.class));
            token = page.getString("next_page_token");
        } while (token != null && !token.isEmpty());
        return runIds;
    }

    /** Random base64 characters: no quotes or LIKE wildcards, nothing PostgreSQL could compress. */
    private static String random(int characters) {
        byte[] bytes = new byte[characters];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).substring(0, characters);
    }

    /** Random CJK letters outside the Basic Multilingual Plane: four bytes each in UTF-8, two UTF-16 units in Java. */
    private static String randomWide(int characters) {
        StringBuilder text = new StringBuilder(characters * 2);
        for (int i = 0; i < characters; i++) {
            text.appendCodePoint(0x20000 + RANDOM.nextInt(0xA6D0));
        }
        return text.toString();
    }
}
