package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.API;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.getExperiment;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ExperimentResourceTest {

    @Test
    void createReturnsStringIdAndDefaultArtifactLocation() {
        String name = unique("create");
        Object id = post("experiments/create", Map.of("name", name)).statusCode(200)
                .body("experiment_id", matchesPattern("[1-9][0-9]*"))
                .extract().path("experiment_id");
        assertTrue(id instanceof String, "experiment_id must be a JSON string");

        get("experiments/get", "experiment_id", id).statusCode(200)
                .body("experiment.experiment_id", equalTo(id))
                .body("experiment.name", equalTo(name))
                .body("experiment.artifact_location", equalTo("mlflow-artifacts:/" + id))
                .body("experiment.lifecycle_stage", equalTo("active"))
                .body("experiment.creation_time", instanceOf(Number.class))
                .body("experiment.last_update_time", instanceOf(Number.class));
    }

    @Test
    void explicitArtifactLocationAndTagsAreKept() {
        String name = unique("located");
        String id = post("experiments/create", Map.of("name", name, "artifact_location", "s3://bucket/some/path",
                "tags", List.of(Map.of("key", "team", "value", "vision"))))
                .statusCode(200).extract().path("experiment_id");

        JsonPath experiment = getExperiment(id);
        assertEquals("s3://bucket/some/path", experiment.getString("experiment.artifact_location"));
        assertEquals("vision", experiment.getString("experiment.tags.find { it.key == 'team' }.value"));
    }

    @Test
    void getByNameFindsTheExperimentOnBothPrefixes() {
        String name = unique("by-name");
        String id = createExperiment(name);

        get("experiments/get-by-name", "experiment_name", name).statusCode(200)
                .body("experiment.experiment_id", equalTo(id));
        given().queryParam("experiment_name", name).get(AJAX + "experiments/get-by-name").then().statusCode(200)
                .body("experiment.experiment_id", equalTo(id));
        fails(get("experiments/get-by-name", "experiment_name", unique("never-created")), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void defaultExperimentExists() {
        get("experiments/get", "experiment_id", "0").statusCode(200)
                .body("experiment.experiment_id", equalTo("0"))
                .body("experiment.name", equalTo("Default"))
                .body("experiment.artifact_location", equalTo("mlflow-artifacts:/0"));
    }

    @Test
    void duplicateNameIsRefusedEvenWhenTheOtherIsDeleted() {
        String name = unique("dup");
        String id = createExperiment(name);
        fails(post("experiments/create", Map.of("name", name)), 400, "RESOURCE_ALREADY_EXISTS");

        post("experiments/delete", Map.of("experiment_id", id)).statusCode(200);
        fails(post("experiments/create", Map.of("name", name)), 400, "RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void invalidNamesAreRefused() {
        invalid(post("experiments/create", Map.of("name", "")));
        invalid(post("experiments/create", Map.of()));
        String tooLong = "n".repeat(501);
        invalid(post("experiments/create", Map.of("name", tooLong)));
        fails(get("experiments/get-by-name", "experiment_name", tooLong), 404, "RESOURCE_DOES_NOT_EXIST");

        String longest = unique("x").concat("n".repeat(500)).substring(0, 500);
        post("experiments/create", Map.of("name", longest)).statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket/path#frag", "s3://bucket/path;params", "s3://bucket/../other",
        "s3://bucket/path?x=..", "runs:/0123456789abcdef0123456789abcdef/model", "file:///tmp/%2e%2e/etc",
        "mlflow-artifacts:/../", "mlflow-artifacts:/1/../../x"})
    void unsafeArtifactLocationsAreRefusedAndCreateNothing(String location) {
        String name = unique("unsafe");
        invalid(post("experiments/create", Map.of("name", name, "artifact_location", location)));
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    /** Every client of an experiment writes its artifacts where its location says: only where this suite serves them. */
    @ParameterizedTest
    @ValueSource(strings = {"file:///etc", "http://169.254.169.254/", "https://evil.example/", "s3://other-bucket",
        "s3://bucket-other/some", "s3://bucket/somewhere", "s3://bucket/some-other/x", "s3://bucket", "/etc", "mlruns",
        "mlflow-artifacts://evil.example/1", "MLFLOW-ARTIFACTS://evil.example/1", "mlflow-artifacts:/%252e%252e/x",
        "mlflow-artifacts:/.%2E/x", "mlflow-artifacts:/1%2F..%2F..%2Fetc", "mlflow-artifacts:/1%5Cx", "mlflow-artifacts:/1//x",
        "mlflow-artifacts:////evil.example/x", "mlflow-artifacts:1", "mlflow-artifacts:/1?x=1", "s3://bucket/some?x=1"})
    void artifactLocationsOutsideTheAllowedPrefixesAreRefusedAndCreateNothing(String location) {
        String name = unique("elsewhere");
        invalid(post("experiments/create", Map.of("name", name, "artifact_location", location)))
                .body("message", startsWith("'artifact_location' " + location + " is not allowed: "));
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlflow-artifacts:/team-a/vision", "MLFLOW-ARTIFACTS:/team-a", "mlflow-artifacts:///team-a/",
        "s3://bucket/some", "S3://BUCKET/some/deeper/"})
    void artifactLocationsUnderAnAllowedPrefixAreKeptAsGiven(String location) {
        String id = post("experiments/create", Map.of("name", unique("allowed"), "artifact_location", location))
                .statusCode(200).extract().path("experiment_id");
        assertEquals(location, getExperiment(id).getString("experiment.artifact_location"));
        String runId = createRun(id);
        assertEquals(location.replaceAll("/+$", "") + "/" + runId + "/artifacts",
                getRun(runId).getString("run.info.artifact_uri"));
    }

    @Test
    void renameChangesTheName() {
        String id = createExperiment();
        String newName = unique("renamed");
        post("experiments/update", Map.of("experiment_id", id, "new_name", newName)).statusCode(200)
                .body(equalTo("{}"));

        assertEquals(newName, getExperiment(id).getString("experiment.name"));
        get("experiments/get-by-name", "experiment_name", newName).statusCode(200)
                .body("experiment.experiment_id", equalTo(id));
    }

    @Test
    void renameToATakenNameIsRefused() {
        String taken = unique("taken");
        createExperiment(taken);
        String id = createExperiment();
        String before = getExperiment(id).getString("experiment.name");

        fails(post("experiments/update", Map.of("experiment_id", id, "new_name", taken)), 400, "RESOURCE_ALREADY_EXISTS");
        assertEquals(before, getExperiment(id).getString("experiment.name"));
        invalid(post("experiments/update", Map.of("experiment_id", id, "new_name", "")));
    }

    @Test
    void renameOfADeletedExperimentIsInvalidState() {
        String id = createExperiment();
        post("experiments/delete", Map.of("experiment_id", id)).statusCode(200);

        fails(post("experiments/update", Map.of("experiment_id", id, "new_name", unique("late"))), 500, "INVALID_STATE");
    }

    @Test
    void deleteAndRestoreCarryTheRuns() {
        String id = createExperiment();
        String runId = createRun(id);

        post("experiments/delete", Map.of("experiment_id", id)).statusCode(200).body(equalTo("{}"));
        assertEquals("deleted", getExperiment(id).getString("experiment.lifecycle_stage"));
        assertEquals("deleted", getRun(runId).getString("run.info.lifecycle_stage"));

        post("experiments/restore", Map.of("experiment_id", id)).statusCode(200).body(equalTo("{}"));
        assertEquals("active", getExperiment(id).getString("experiment.lifecycle_stage"));
        assertEquals("active", getRun(runId).getString("run.info.lifecycle_stage"));
    }

    @Test
    void setAndDeleteExperimentTags() {
        String id = createExperiment();
        post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "stage", "value", "one"))
                .statusCode(200).body(equalTo("{}"));
        post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "stage", "value", "two"))
                .statusCode(200);
        assertEquals(List.of("two"), getExperiment(id).getList("experiment.tags.findAll { it.key == 'stage' }.value"));

        post("experiments/delete-experiment-tag", Map.of("experiment_id", id, "key", "stage")).statusCode(200);
        assertEquals(List.of(), getExperiment(id).getList("experiment.tags.findAll { it.key == 'stage' }"));
        fails(post("experiments/delete-experiment-tag", Map.of("experiment_id", id, "key", "stage")),
                404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void experimentTagLimitsAndDeletedExperimentsAreRefused() {
        String id = createExperiment();
        invalid(post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "k", "value", "v".repeat(5001))));
        invalid(post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "k".repeat(251), "value", "v")));

        post("experiments/delete", Map.of("experiment_id", id)).statusCode(200);
        invalid(post("experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "k", "value", "v")));
        assertEquals(List.of(), getExperiment(id).getList("experiment.tags.findAll { it.key == 'k' }"));
    }

    @Test
    void unknownAndMalformedIds() {
        fails(get("experiments/get", "experiment_id", "987654321987"), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(get("experiments/get", "experiment_id", "abc"), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(get("experiments/get", "experiment_id", "99999999999999999999"), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(get("experiments/get", "experiment_id", "../x"));
        invalid(get("experiments/get"));
        fails(post("experiments/delete", Map.of("experiment_id", "987654321987")), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(post("experiments/update", Map.of("experiment_id", "987654321987", "new_name", unique("n"))),
                404, "RESOURCE_DOES_NOT_EXIST");
        invalid(post("experiments/restore", Map.of("experiment_id", "../x")));
    }

    @Test
    void searchByViewType() {
        String prefix = unique("view");
        String active = createExperiment(prefix + "-active");
        String deleted = createExperiment(prefix + "-deleted");
        post("experiments/delete", Map.of("experiment_id", deleted)).statusCode(200);
        String filter = "name LIKE '" + prefix + "-%'";

        assertEquals(List.of(active), searchIds(filter, null));
        assertEquals(List.of(active), searchIds(filter, "ACTIVE_ONLY"));
        assertEquals(List.of(deleted), searchIds(filter, "DELETED_ONLY"));
        assertEquals(Set.of(active, deleted), new HashSet<>(searchIds(filter, "ALL")));
        assertEquals(List.of(deleted), searchIds(filter, "2"));
    }

    @Test
    void searchFiltersByNameAndTag() {
        String prefix = unique("filter");
        String a = createExperiment(prefix + "-a");
        String b = createExperiment(prefix + "-b");
        post("experiments/set-experiment-tag", Map.of("experiment_id", b, "key", "color", "value", "blue"))
                .statusCode(200);

        assertEquals(List.of(a), searchIds("name = '" + prefix + "-a'", null));
        assertEquals(List.of(b), searchIds("name LIKE '" + prefix + "%' AND tags.color = 'blue'", null));
        assertEquals(List.of(), searchIds("name LIKE '" + prefix + "%' AND tags.color = 'red'", null));
        assertEquals(List.of(b), searchIds("tags.`color` = 'blue' and name like '" + prefix + "-%'", null));
    }

    /** Filter values and tag keys are bound as parameters, never spliced into SQL. */
    @Test
    void quotesInFilterValuesAreData() {
        String prefix = unique("quote");
        String id = createExperiment(prefix + "-it's");
        assertEquals(List.of(id), searchIds("name = \"" + prefix + "-it's\"", null));
        assertEquals(List.of(), searchIds("name LIKE '" + prefix + "%' AND tags.`a' or '1'='1` = 'x'", null));
    }

    @Test
    void searchPagesThroughEveryResultOnceInNameOrder() {
        String prefix = unique("page");
        List<String> names = List.of(prefix + "-c", prefix + "-a", prefix + "-e", prefix + "-b", prefix + "-d");
        names.forEach(TrackingApi::createExperiment);

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, Object> body = new HashMap<>(Map.of("filter", "name LIKE '" + prefix + "-%'",
                    "max_results", 2, "order_by", List.of("name ASC")));
            if (token != null) {
                body.put("page_token", token);
            }
            JsonPath page = post("experiments/search", body).statusCode(200).extract().jsonPath();
            List<String> pageNames = page.getList("experiments.name");
            assertTrue(pageNames.size() <= 2, "page larger than max_results: " + pageNames);
            seen.addAll(pageNames);
            token = page.getString("next_page_token");
            pages++;
        } while (token != null && pages < 10);

        assertEquals(names.stream().sorted().toList(), seen);
        assertEquals(3, pages);
    }

    @Test
    void searchByGetTakesQueryParameters() {
        String prefix = unique("get-search");
        String second = createExperiment(prefix + "-b");
        String first = createExperiment(prefix + "-a");

        given().queryParam("filter", "name LIKE '" + prefix + "%'").queryParam("order_by", "name ASC")
                .queryParam("max_results", 1).get(API + "experiments/search").then().statusCode(200)
                .body("experiments.experiment_id", contains(first))
                .body("next_page_token", notNullValue());
        given().queryParam("filter", "name LIKE '" + prefix + "%'").queryParam("view_type", "ALL")
                .get(AJAX + "experiments/search").then().statusCode(200)
                .body("experiments.experiment_id", containsInAnyOrder(first, second))
                .body("next_page_token", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"name = ", "name ~ 'x'", "params.a = 'b'", "name = 'a' OR name = 'b'", "nonsense = 'x'",
        "name = 'unterminated", "creation_time > 'abc'", "name LIKE '%'; DROP TABLE experiments; --",
        "name = 'a' AND", "tags.k IN ('a')"})
    void badFiltersAreRefused(String filter) {
        invalid(post("experiments/search", Map.of("filter", filter)));
    }

    @Test
    void searchArgumentLimits() {
        invalid(post("experiments/search", Map.of("max_results", 0)));
        invalid(post("experiments/search", Map.of("max_results", 50001)));
        invalid(get("experiments/search", "max_results", "0"));
        invalid(get("experiments/search", "max_results", "50001"));
        invalid(post("experiments/search", Map.of("order_by", List.of("color ASC"))));
        invalid(post("experiments/search", Map.of("order_by", List.of("name; DROP TABLE experiments"))));
        invalid(get("experiments/search", "max_results", "abc"));
        invalid(post("experiments/search", Map.of("view_type", "SOMETIMES")));
        invalid(post("experiments/search", Map.of("page_token", "not-a-token")));
        post("experiments/search", Map.of("max_results", 50000)).statusCode(200);
    }

    @Test
    void ajaxPrefixServesTheSameExperiment() {
        String id = createExperiment();
        given().contentType(ContentType.JSON).body(Map.of("experiment_id", id, "key", "via", "value", "ajax"))
                .post(AJAX + "experiments/set-experiment-tag").then().statusCode(200);
        given().queryParam("experiment_id", id).get(AJAX + "experiments/get").then().statusCode(200)
                .body("experiment.tags", hasSize(1))
                .body("experiment.tags[0].value", equalTo("ajax"));
    }

    private static List<String> searchIds(String filter, String viewType) {
        var body = new HashMap<String, Object>(Map.of("filter", filter));
        if (viewType != null) {
            body.put("view_type", viewType);
        }
        JsonPath result = post("experiments/search", body).statusCode(200).extract().jsonPath();
        List<String> ids = result.getList("experiments.experiment_id");
        return ids == null ? List.of() : ids;
    }
}
