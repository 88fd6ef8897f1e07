package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createModel;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.getModel;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Logged model params and tags take keys of any length, as MLflow 3.3's server does (its handlers and store check
 * none; with SQLite it stored keys of 255, 3,000, 10,000 and 100,000 random characters alike). A key is unique in its
 * model through its hash (migration V8), so random keys far beyond a btree entry's ~2.7 kB are stored, not a 500.
 */
@QuarkusTest
class LongLoggedModelKeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void paramKeysOfAnyLengthAreStoredWholeAndStillUnique() {
        String experimentId = createExperiment();
        String created = random(3000);
        String createdValue = random(10000);
        String modelId = createModel(experimentId, "params", List.of(Map.of("key", created, "value", createdValue)));
        String logged = randomWide(10000);
        String atColumnSize = random(255);
        post("logged-models/" + modelId + "/params", Map.of("model_id", modelId, "params", List.of(Map.of("key", logged, "value", "v"),
                Map.of("key", atColumnSize, "value", "w")))).statusCode(200);
        String huge = random(100_000);
        post("logged-models/" + modelId + "/params", Map.of("model_id", modelId, "params", List.of(Map.of("key", huge, "value", "x"))))
                .statusCode(200);
        // The same key with the same value again is no change; with another value it is a conflict (MLflow: 400 too).
        post("logged-models/" + modelId + "/params", Map.of("model_id", modelId, "params", List.of(Map.of("key", logged, "value", "v"))))
                .statusCode(200);
        invalid(post("logged-models/" + modelId + "/params", Map.of("model_id", modelId, "params", List.of(Map.of("key", huge, "value",
                "other")))));

        Map<String, String> params = toMap(getModel(modelId).getList("model.data.params"));
        assertEquals(Map.of(created, createdValue, logged, "v", atColumnSize, "w", huge, "x"), params);
    }

    @Test
    void tagKeysOfAnyLengthAreSetReplacedAndDeleted() {
        String experimentId = createExperiment();
        String created = random(5000);
        String modelId = createModel(experimentId, "tags", List.of(Map.of("key", created, "value", random(10000))));
        String set = randomWide(20000);
        patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(Map.of("key", set, "value", "first"))))
                .statusCode(200);
        patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(Map.of("key", set, "value", "second"),
                Map.of("key", created, "value", "replaced")))).statusCode(200);
        assertEquals(Map.of(created, "replaced", set, "second"), toMap(getModel(modelId).getList("model.info.tags")));

        delete("logged-models/" + modelId + "/tags/" + created, null).statusCode(200);
        assertEquals(Map.of(set, "second"), toMap(getModel(modelId).getList("model.info.tags")));
        delete("logged-models/" + modelId + "/tags/" + created, null).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void aSearchFiltersOnALongParamKey() {
        String experimentId = createExperiment();
        String key = random(4000);
        String found = createModel(experimentId, "params", List.of(Map.of("key", key, "value", "a")));
        createModel(experimentId, "params", List.of(Map.of("key", key, "value", "b")));
        JsonPath page = TrackingApi.json(post("logged-models/search", Map.of("experiment_ids", List.of(experimentId),
                "filter", "params.`" + key + "` = 'a'")).statusCode(200));
        assertEquals(List.of(found), page.getList("models.info.model_id"));
    }

    private static Map<String, String> toMap(List<Map<String, String>> entries) {
        return entries.stream().collect(java.util.stream.Collectors.toMap(e -> e.get("key"), e -> e.get("value")));
    }

    /** Random base64 characters without '/', so a key can be a path segment: nothing PostgreSQL could compress. */
    private static String random(int characters) {
        byte[] bytes = new byte[characters];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, characters);
    }

    /** Random CJK letters outside the Basic Multilingual Plane: four bytes each in UTF-8. */
    private static String randomWide(int characters) {
        StringBuilder text = new StringBuilder(characters * 2);
        for (int i = 0; i < characters; i++) {
            text.appendCodePoint(0x20000 + RANDOM.nextInt(0xA6D0));
        }
        return text.toString();
    }
}
