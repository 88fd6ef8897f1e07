package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registered-model endpoints. Where a test says "MLflow's server", the answer was taken from MLflow 3.3's own
 * (mlflow server, SQL store), sent the same request.
 */
@QuarkusTest
class RegisteredModelResourceTest {

    private static final String MISSING = "Missing value for required parameter '%s'. "
            + "See the API docs for more information about request parameters.";

    static String createModel(String name) {
        post("registered-models/create", Map.of("name", name)).statusCode(200);
        return name;
    }

    static String createVersion(String name, String source) {
        return post("model-versions/create", Map.of("name", name, "source", source)).statusCode(200)
                .extract().path("model_version.version");
    }

    @Test
    void createAnswersTheModelWithItsTagsAndDescription() {
        String name = unique("model");
        long before = System.currentTimeMillis();
        JsonPath created = json(post("registered-models/create", Map.of("name", name, "description", "d",
                "tags", List.of(tag("k", "v"), tag("a", "1"), tag("k", "last")))));
        assertEquals(name, created.getString("registered_model.name"));
        assertEquals("d", created.getString("registered_model.description"));
        long createdAt = created.getLong("registered_model.creation_timestamp");
        assertTrue(createdAt >= before);
        assertEquals(createdAt, created.getLong("registered_model.last_updated_timestamp"));
        // A repeated key keeps its last value, as MLflow's dict does.
        assertEquals(List.of(tag("a", "1"), tag("k", "last")), created.getList("registered_model.tags"));
        // MLflow's server leaves out what is not there: no versions, aliases or user id.
        assertNull(created.get("registered_model.latest_versions"));
        assertNull(created.get("registered_model.aliases"));
        assertNull(created.get("registered_model.user_id"));

        JsonPath got = json(get("registered-models/get", "name", name));
        assertEquals(created.getMap("registered_model"), got.getMap("registered_model"));
        JsonPath ajax = given().queryParam("name", name).get(AJAX + "registered-models/get").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(name, ajax.getString("registered_model.name"));
    }

    @Test
    void createRefusesWhatMlflowRefuses() {
        String name = createModel(unique("model"));
        fails(post("registered-models/create", Map.of("name", name)), 400, "RESOURCE_ALREADY_EXISTS")
                .body("message", equalTo("Registered Model (name=" + name + ") already exists."));
        invalid(post("registered-models/create", Map.of())).body("message", equalTo(MISSING.formatted("name")));
        invalid(post("registered-models/create", Map.of("name", ""))).body("message", equalTo(MISSING.formatted("name")));
        invalid(post("registered-models/create", Map.of("name", unique("m"), "tags", List.of(tag("../x", "1")))))
                .body("message", equalTo("Invalid value \"../x\" for parameter 'key' supplied: Names may be treated as "
                        + "files in certain cases, and must not resolve to other names when treated as such. This name "
                        + "would resolve to '../x'"));
        invalid(post("registered-models/create", Map.of("name", unique("m"), "tags",
                List.of(tag("k", "v".repeat(100_001))))))
                .body("message", equalTo("'value' exceeds the maximum length of 100000 characters"));
        invalid(post("registered-models/create", Map.of("name", 12)));
    }

    @Test
    void namesAndValuesOfAnyLengthMlflowTakesAreKept() {
        // Far beyond a btree entry (~2.7 kB): the name's index holds its MD5 and a prefix.
        String name = unique("long") + "n".repeat(10_000);
        JsonPath created = json(post("registered-models/create", Map.of("name", name,
                "tags", List.of(tag("k", "x".repeat(100_000))))));
        assertEquals(name, created.getString("registered_model.name"));
        assertEquals(name, json(get("registered-models/get", "name", name)).getString("registered_model.name"));
        fails(post("registered-models/create", Map.of("name", name)), 400, "RESOURCE_ALREADY_EXISTS");
        String version = createVersion(name, "s3://bucket/some/" + "p".repeat(5_000));
        assertEquals("1", version);
    }

    @Test
    void getOfAnUnknownModelIsNotFound() {
        String name = unique("nope");
        fails(get("registered-models/get", "name", name), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Registered Model with name=" + name + " not found"));
    }

    @Test
    void getWithoutNameIsMissing() {
        invalid(get("registered-models/get")).body("message", equalTo(MISSING.formatted("name")));
    }

    @Test
    void renameMovesTheModelAndItsVersions() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/a");
        String newName = unique("renamed");
        JsonPath renamed = json(post("registered-models/rename", Map.of("name", name, "new_name", newName)));
        assertEquals(newName, renamed.getString("registered_model.name"));
        assertEquals(newName, renamed.getString("registered_model.latest_versions[0].name"));
        fails(get("registered-models/get", "name", name), 404, "RESOURCE_DOES_NOT_EXIST");
        assertEquals("s3://bucket/some/a", json(get("model-versions/get", "name", newName, "version", "1"))
                .getString("model_version.source"));

        String other = createModel(unique("other"));
        fails(post("registered-models/rename", Map.of("name", other, "new_name", newName)), 400,
                "RESOURCE_ALREADY_EXISTS");
        invalid(post("registered-models/rename", Map.of("name", other)))
                .body("message", equalTo(MISSING.formatted("new_name")));
        fails(post("registered-models/rename", Map.of("name", unique("nope"), "new_name", unique("x"))), 404,
                "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void updateSetsOrClearsTheDescription() {
        String name = createModel(unique("model"));
        JsonPath updated = json(patch("registered-models/update", Map.of("name", name, "description", "new")));
        assertEquals("new", updated.getString("registered_model.description"));
        assertTrue(updated.getLong("registered_model.last_updated_timestamp")
                >= updated.getLong("registered_model.creation_timestamp"));
        // MLflow's server clears the description when the request has none.
        JsonPath cleared = json(patch("registered-models/update", Map.of("name", name)));
        assertNull(cleared.get("registered_model.description"));
        fails(patch("registered-models/update", Map.of("name", unique("nope"), "description", "x")), 404,
                "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void deleteRemovesTheModelWithItsVersionsTagsAndAliases() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/a");
        post("registered-models/set-tag", Map.of("name", name, "key", "k", "value", "v")).statusCode(200);
        post("registered-models/alias", Map.of("name", name, "alias", "champ", "version", "1")).statusCode(200);

        delete("registered-models/delete", Map.of("name", name)).statusCode(200).body(equalTo("{}"));
        fails(get("registered-models/get", "name", name), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(get("model-versions/get", "name", name, "version", "1"), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Model Version (name=" + name + ", version=1) not found"));
        fails(delete("registered-models/delete", Map.of("name", name)), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Registered Model with name=" + name + " not found"));

        // The name is free again, and the new model starts at version 1 without the old tags.
        createModel(name);
        assertEquals("1", createVersion(name, "s3://bucket/some/b"));
        assertNull(json(get("registered-models/get", "name", name)).get("registered_model.tags"));
    }

    @Test
    void tagsAreSetReplacedAndDeleted() {
        String name = createModel(unique("model"));
        post("registered-models/set-tag", Map.of("name", name, "key", "t", "value", "1")).statusCode(200)
                .body(equalTo("{}"));
        post("registered-models/set-tag", Map.of("name", name, "key", "t", "value", "2")).statusCode(200);
        // MLflow's server takes a tag without value as "".
        post("registered-models/set-tag", Map.of("name", name, "key", "empty")).statusCode(200);
        assertEquals(List.of(tag("empty", ""), tag("t", "2")),
                json(get("registered-models/get", "name", name)).getList("registered_model.tags"));

        delete("registered-models/delete-tag", Map.of("name", name, "key", "t")).statusCode(200).body(equalTo("{}"));
        // Deleting a tag the model does not have is no error on MLflow's server.
        delete("registered-models/delete-tag", Map.of("name", name, "key", "nothere")).statusCode(200);
        assertEquals(List.of(tag("empty", "")),
                json(get("registered-models/get", "name", name)).getList("registered_model.tags"));

        fails(post("registered-models/set-tag", Map.of("name", unique("nope"), "key", "k", "value", "v")), 404,
                "RESOURCE_DOES_NOT_EXIST");
        invalid(post("registered-models/set-tag", Map.of("name", name, "value", "v")))
                .body("message", equalTo(MISSING.formatted("key")));
    }

    @Test
    void aliasesPointAtVersionsAndFollowTheirDeletion() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/1");
        createVersion(name, "s3://bucket/some/2");
        post("registered-models/alias", Map.of("name", name, "alias", "champ", "version", "1")).statusCode(200)
                .body(equalTo("{}"));
        JsonPath byAlias = json(get("registered-models/alias", "name", name, "alias", "champ"));
        assertEquals("1", byAlias.getString("model_version.version"));
        assertEquals(List.of("champ"), byAlias.getList("model_version.aliases"));
        assertEquals(List.of(Map.of("alias", "champ", "version", "1")),
                json(get("registered-models/get", "name", name)).getList("registered_model.aliases"));

        // Setting it again moves it.
        post("registered-models/alias", Map.of("name", name, "alias", "champ", "version", "2")).statusCode(200);
        assertEquals("2", json(get("registered-models/alias", "name", name, "alias", "champ"))
                .getString("model_version.version"));
        // "latest" is the highest version, whatever its stage.
        assertEquals("2", json(get("registered-models/alias", "name", name, "alias", "Latest"))
                .getString("model_version.version"));

        // Deleting the version deletes the alias.
        delete("model-versions/delete", Map.of("name", name, "version", "2")).statusCode(200);
        invalid(get("registered-models/alias", "name", name, "alias", "champ"))
                .body("message", equalTo("Registered model alias champ not found."));

        post("registered-models/alias", Map.of("name", name, "alias", "gone", "version", "1")).statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "alias", "gone"))
                .delete(AJAX + "registered-models/alias").then().statusCode(200);
        invalid(get("registered-models/alias", "name", name, "alias", "gone"));
        // Deleting an alias the model does not have changes nothing.
        delete("registered-models/alias", Map.of("name", name, "alias", "never")).statusCode(200);
    }

    @Test
    void aliasNamesAreCheckedAsMlflowChecksThem() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/1");
        invalid(post("registered-models/alias", Map.of("name", name, "alias", "latest", "version", "1")))
                .body("message", equalTo("'latest' alias name (case insensitive) is reserved."));
        invalid(post("registered-models/alias", Map.of("name", name, "alias", "v1", "version", "1")))
                .body("message", equalTo("Version alias name 'v1' is reserved."));
        invalid(post("registered-models/alias", Map.of("name", name, "alias", "a b", "version", "1")))
                .body("message", equalTo("Invalid alias name: 'a b'. Names may only contain alphanumerics, "
                        + "underscores (_), and dashes (-)."));
        invalid(post("registered-models/alias", Map.of("name", name, "alias", "a".repeat(256), "version", "1")))
                .body("message", equalTo("'Registered model alias name' exceeds the maximum length of 255 characters"));
        fails(post("registered-models/alias", Map.of("name", name, "alias", "x", "version", "9")), 404,
                "RESOURCE_DOES_NOT_EXIST").body("message", equalTo("Model Version (name=" + name + ", version=9) not found"));
        invalid(post("registered-models/alias", Map.of("name", name, "alias", "x", "version", "one")))
                .body("message", equalTo("Parameter 'version' must be an integer, got 'one'."));
        String empty = createModel(unique("empty"));
        fails(get("registered-models/alias", "name", empty, "alias", "latest"), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Latest version not found for model " + empty + "."));
    }

    @Test
    void latestVersionsAreTheHighestOfEachStage() {
        String name = createModel(unique("model"));
        for (int i = 1; i <= 3; i++) {
            createVersion(name, "s3://bucket/some/" + i);
        }
        post("model-versions/transition-stage", Map.of("name", name, "version", "1", "stage", "production",
                "archive_existing_versions", false)).statusCode(200);
        post("model-versions/transition-stage", Map.of("name", name, "version", "2", "stage", "Staging",
                "archive_existing_versions", false)).statusCode(200);

        JsonPath all = json(post("registered-models/get-latest-versions", Map.of("name", name)));
        assertEquals(List.of("1", "2", "3"), all.getList("model_versions.version"));
        assertEquals(List.of("Production", "Staging", "None"), all.getList("model_versions.current_stage"));

        JsonPath staging = json(post("registered-models/get-latest-versions", Map.of("name", name,
                "stages", List.of("staging"))));
        assertEquals(List.of("2"), staging.getList("model_versions.version"));
        JsonPath byQuery = json(get("registered-models/get-latest-versions", "name", name, "stages", "Production"));
        assertEquals(List.of("1"), byQuery.getList("model_versions.version"));
        invalid(post("registered-models/get-latest-versions", Map.of("name", name, "stages", List.of("bogus"))))
                .body("message", equalTo("Invalid Model Version stage: bogus. Value must be one of None, Staging, "
                        + "Production, Archived."));
        fails(post("registered-models/get-latest-versions", Map.of("name", unique("nope"))), 404,
                "RESOURCE_DOES_NOT_EXIST");

        JsonPath model = json(get("registered-models/get", "name", name));
        assertEquals(List.of("1", "2", "3"), model.getList("registered_model.latest_versions.version"));
    }

    @Test
    void searchFiltersOrdersAndPages() {
        String prefix = unique("search");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(createModel(prefix + "-" + i));
        }
        post("registered-models/set-tag", Map.of("name", names.get(3), "key", "team", "value", "vision"))
                .statusCode(200);

        JsonPath like = json(get("registered-models/search", "filter", "name LIKE '" + prefix + "-%'"));
        assertEquals(names, like.getList("registered_models.name"));
        assertNull(like.get("next_page_token"));
        JsonPath ilike = json(get("registered-models/search", "filter", "name ILIKE '" + prefix.toUpperCase() + "%'"));
        assertEquals(names, ilike.getList("registered_models.name"));
        JsonPath equal = json(get("registered-models/search", "filter", "name = '" + names.get(2) + "'"));
        assertEquals(List.of(names.get(2)), equal.getList("registered_models.name"));
        JsonPath tagged = json(get("registered-models/search", "filter",
                "name LIKE '" + prefix + "%' AND tags.team = 'vision'"));
        assertEquals(List.of(names.get(3)), tagged.getList("registered_models.name"));

        // Pages of two, in name order, each token resuming after the last row.
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonPath page = token == null
                    ? json(get("registered-models/search", "filter", "name LIKE '" + prefix + "%'", "max_results", 2))
                    : json(get("registered-models/search", "filter", "name LIKE '" + prefix + "%'", "max_results", 2,
                            "page_token", token));
            paged.addAll(page.getList("registered_models.name"));
            token = page.getString("next_page_token");
            pages++;
        } while (token != null);
        assertEquals(names, paged);
        assertEquals(3, pages);

        // The most recently changed first.
        post("registered-models/set-tag", Map.of("name", names.get(1), "key", "x", "value", "y")).statusCode(200);
        patch("registered-models/update", Map.of("name", names.get(1), "description", "touched")).statusCode(200);
        JsonPath recent = json(get("registered-models/search", "filter", "name LIKE '" + prefix + "%'",
                "order_by", "last_updated_timestamp DESC"));
        assertEquals(names.get(1), recent.getString("registered_models[0].name"));
        JsonPath descending = json(get("registered-models/search", "filter", "name LIKE '" + prefix + "%'",
                "order_by", "name DESC"));
        List<String> reversed = new ArrayList<>(names);
        Collections.reverse(reversed);
        assertEquals(reversed, descending.getList("registered_models.name"));
    }

    @Test
    void searchRefusesWhatMlflowRefuses() {
        invalid(get("registered-models/search", "filter", "foo = 'v'"))
                .body("message", equalTo("Invalid attribute key 'foo' specified. Valid keys are '{'name'}'"));
        invalid(get("registered-models/search", "filter", "params.x = 'a'"))
                .body("message", equalTo("Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', "
                        + "'tags')"));
        invalid(get("registered-models/search", "filter", "name > 'a'"))
                .body("message", equalTo("Invalid comparator for attribute: >"));
        invalid(get("registered-models/search", "filter", "tags.x > 'a'"))
                .body("message", equalTo("Invalid comparator for tag: >"));
        invalid(get("registered-models/search", "filter", "name IN ('a')"))
                .body("message", equalTo("Only the 'run_id' attribute supports comparison with a list of quoted "
                        + "string values."));
        invalid(get("registered-models/search", "order_by", "creation_timestamp"))
                .body("message", equalTo("Invalid order by key 'creation_timestamp' specified. Valid keys are "
                        + "'{'name', 'timestamp'}'"));
        invalid(get("registered-models/search", "order_by", "name", "order_by", "name"))
                .body("message", equalTo("`order_by` contains duplicate fields: ['name', 'name']"));
        invalid(get("registered-models/search", "max_results", 1001))
                .body("message", equalTo("Invalid value \"1001\" for parameter 'max_results' supplied:  Hint: Value "
                        + "was of type 'str'. See the API docs for more information about request parameters."));
        invalid(get("registered-models/search", "page_token", "abc"))
                .body("message", equalTo("Invalid page token, could not base64-decode"));
    }

    @Test
    void searchLeavesOutPromptsUnlessAskedForThem() {
        String prefix = unique("prompts");
        String model = createModel(prefix + "-model");
        String prompt = prefix + "-prompt";
        post("registered-models/create", Map.of("name", prompt,
                "tags", List.of(tag("mlflow.prompt.is_prompt", "true")))).statusCode(200);
        assertEquals(List.of(model), json(get("registered-models/search", "filter", "name LIKE '" + prefix + "%'"))
                .getList("registered_models.name"));
        assertEquals(List.of(prompt), json(get("registered-models/search", "filter",
                "name LIKE '" + prefix + "%' AND tags.`mlflow.prompt.is_prompt` = 'true'"))
                .getList("registered_models.name"));
        // What MLflow 3's client adds to every search: it finds the models without the tag.
        assertEquals(List.of(model), json(get("registered-models/search", "filter",
                "name LIKE '" + prefix + "%' AND tag.`mlflow.prompt.is_prompt` != 'true'"))
                .getList("registered_models.name"));
        assertFalse(json(get("registered-models/get", "name", prompt)).getList("registered_model.tags").isEmpty());
    }
}
