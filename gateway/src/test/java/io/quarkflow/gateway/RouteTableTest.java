package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Deny by default, proved route by route: every entry of the route table, with every method it takes, is refused
 * without credentials and reaches no service; a read-only identity is refused every EDIT route; an editor reaches
 * the service the table names. Paths the table does not know are refused too.
 */
@QuarkusTest
class RouteTableTest {

    @TestFactory
    List<DynamicTest> everyRouteRefusesAnAnonymousRequest() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : Route.TABLE) {
            for (HttpMethod method : route.methods()) {
                tests.add(DynamicTest.dynamicTest(method + " " + examplePath(route), () -> {
                    int before = FakeServices.REQUESTS.get();
                    Response response = send(given(), method, examplePath(route));
                    assertEquals(401, response.statusCode());
                    assertTrue(response.header("WWW-Authenticate").contains("Basic realm=\"quarkflow\""));
                    if (method != HttpMethod.HEAD) {
                        assertEquals("UNAUTHENTICATED", response.jsonPath().getString("error_code"));
                    }
                    assertEquals(before, FakeServices.REQUESTS.get(), "an anonymous request reached a service");
                }));
            }
        }
        assertTrue(tests.size() >= 20, "the table lists both API prefixes and their methods");
        return tests;
    }

    @TestFactory
    List<DynamicTest> aReadOnlyTokenReachesReadRoutesAndIsRefusedEditRoutes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : Route.TABLE) {
            for (HttpMethod method : route.methods()) {
                tests.add(DynamicTest.dynamicTest(method + " " + examplePath(route), () -> {
                    int before = FakeServices.REQUESTS.get();
                    Response response = send(json(given().auth().oauth2(FakeServices.READ_TOKEN)), method,
                            examplePath(route));
                    if (route.permission() == Permission.EDIT) {
                        assertEquals(403, response.statusCode());
                        assertEquals("PERMISSION_DENIED", response.jsonPath().getString("error_code"));
                        assertEquals(before, FakeServices.REQUESTS.get(), "a refused write reached a service");
                    } else {
                        assertEquals(200, response.statusCode());
                    }
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> anEditorReachesTheServiceTheTableNames() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : Route.TABLE) {
            for (HttpMethod method : route.methods()) {
                if (method == HttpMethod.HEAD) {
                    continue; // no body to tell the services apart
                }
                tests.add(DynamicTest.dynamicTest(method + " " + examplePath(route), () -> {
                    Response response = send(json(given().auth().oauth2(FakeServices.EDIT_TOKEN)), method,
                            examplePath(route));
                    assertEquals(200, response.statusCode());
                    switch (route.target()) {
                        case HEALTH -> assertEquals("OK", response.body().asString());
                        case TRACKING, ARTIFACTS, PROJECTS -> {
                            String server = route.target().name().toLowerCase(Locale.ROOT);
                            assertEquals(server, response.jsonPath().getString("server"));
                            assertEquals(method.name(), response.jsonPath().getString("method"));
                            assertEquals(examplePath(route), response.jsonPath().getString("uri"));
                            assertEquals("ci", response.jsonPath().getString("user"));
                        }
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void artifactListingGoesToArtifactServiceAndTheRestOfMlflowToTracking() {
        for (String api : List.of("/api", "/ajax-api")) {
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get(api + "/2.0/mlflow/artifacts/list?run_id=r1")
                    .then().statusCode(200).body("server", equalTo("artifacts"))
                    .body("uri", equalTo(api + "/2.0/mlflow/artifacts/list?run_id=r1"));
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get(api + "/2.0/mlflow/runs/get?run_id=r1")
                    .then().statusCode(200).body("server", equalTo("tracking"));
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get(api + "/2.0/mlflow-artifacts/artifacts/1/r1/a.txt")
                    .then().statusCode(200).body("server", equalTo("artifacts"));
        }
    }

    /**
     * The web UI's artifact routes go to artifact-service, at exactly the paths MLflow serves them: /get-artifact
     * at the root, upload-artifact and a logged model's files under ajax-api only, its listing under both. Every
     * other logged-models path is tracking-service's, which answers 404 for the forms MLflow does not have.
     */
    @Test
    void uiArtifactRoutesGoToArtifactServiceAndLoggedModelsToTracking() {
        String modelId = "m-0123456789abcdef";
        for (String uri : List.of("/get-artifact?run_id=r1&path=model/MLmodel",
                "/ajax-api/2.0/mlflow/logged-models/" + modelId + "/artifacts/files?artifact_file_path=MLmodel",
                "/ajax-api/2.0/mlflow/logged-models/" + modelId + "/artifacts/directories?artifact_directory_path=data",
                "/api/2.0/mlflow/logged-models/" + modelId + "/artifacts/directories",
                "/ajax-api/2.0/mlflow/logged-models/m-a%2Fb/artifacts/directories")) {
            given().auth().oauth2(FakeServices.READ_TOKEN).urlEncodingEnabled(false).get(uri)
                    .then().statusCode(200).body("server", equalTo("artifacts")).body("uri", equalTo(uri));
        }
        json(given().auth().oauth2(FakeServices.EDIT_TOKEN)).urlEncodingEnabled(false)
                .post("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=r1&path=eval/table.json")
                .then().statusCode(200).body("server", equalTo("artifacts")).body("method", equalTo("POST"))
                .body("uri", equalTo("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=r1&path=eval/table.json"));
        for (String path : List.of("/api/2.0/mlflow/logged-models/" + modelId,
                "/ajax-api/2.0/mlflow/logged-models/" + modelId,
                "/api/2.0/mlflow/logged-models/" + modelId + "/artifacts/files",
                "/ajax-api/2.0/mlflow/logged-models/" + modelId + "/artifacts",
                "/ajax-api/2.0/mlflow/logged-models//artifacts/files",
                "/ajax-api/2.0/mlflow/logged-models/a/b/artifacts/files",
                "/ajax-api/2.0/mlflow/logged-models/" + modelId + "/artifacts/files/x",
                "/ajax-api/2.0/mlflow/get-artifact")) {
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get(path)
                    .then().statusCode(200).body("server", equalTo("tracking"));
        }
        json(given().auth().oauth2(FakeServices.EDIT_TOKEN)).post("/api/2.0/mlflow/upload-artifact")
                .then().statusCode(200).body("server", equalTo("tracking"));
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/get-artifact/x").then().statusCode(404)
                .body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
    }

    @Test
    void uploadArtifactNeedsEditAndAJsonBody() {
        int before = FakeServices.REQUESTS.get();
        json(given().auth().oauth2(FakeServices.READ_TOKEN))
                .post("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=r1&path=a")
                .then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
        given().auth().oauth2(FakeServices.EDIT_TOKEN).contentType("text/plain").body("forged")
                .post("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=r1&path=a")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        assertEquals(before, FakeServices.REQUESTS.get(), "a refused upload reached a service");
    }

    @Test
    void unknownPathsAreRefusedAnonymouslyAndNotFoundOtherwise() {
        // "/" is the web UI's page (WebUiTest); any other path outside the table is no page at all.
        for (String path : List.of("/index.html", "/api/2.0/unknown", "/q/health", "/static-files/index.html",
                "/api/2.0/mlflow", "/graphql", "/api/2.0/mlflow-artifactsX/a")) {
            given().get(path).then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get(path).then().statusCode(404)
                    .body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
        }
        // A method the table does not list for an otherwise known path
        given().auth().oauth2(FakeServices.EDIT_TOKEN).request("OPTIONS", "/api/2.0/mlflow/runs/get")
                .then().statusCode(404);
    }

    @Test
    void pathsWithDotSegmentsAreRefused() {
        // The table is consulted on the resolved path; a service that resolved it differently could be reached
        // with the permission of another route (runs/delete/../search is a read to the table).
        int before = FakeServices.REQUESTS.get();
        for (String path : List.of("/api/2.0/mlflow/runs/delete/../search", "/api/2.0/mlflow/runs/delete/%2e%2E/search",
                "/api/2.0/mlflow/./runs/search", "/api/2.0/mlflow/../mlflow-artifacts/artifacts/a",
                "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/../../../x")) {
            json(given().auth().oauth2(FakeServices.EDIT_TOKEN)).urlEncodingEnabled(false).post(path)
                    .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        assertEquals(before, FakeServices.REQUESTS.get());
        // Dots inside a name are no segment.
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/..model.v2/.x")
                .then().statusCode(200).body("server", equalTo("artifacts"));
    }

    @Test
    void basicCredentialsAreCheckedAgainstBcryptHashes() {
        json(given().auth().preemptive().basic("alice", FakeServices.EDITOR_PASSWORD)).post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).body("user", equalTo("alice"));
        // a second time from the cache of verified credentials
        json(given().auth().preemptive().basic("alice", FakeServices.EDITOR_PASSWORD)).post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).body("user", equalTo("alice"));
        json(given().auth().preemptive().basic("carol", FakeServices.EDITOR_PASSWORD)).post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).body("user", equalTo("carol"));
        json(given().auth().preemptive().basic("bob", FakeServices.READER_PASSWORD)).post("/api/2.0/mlflow/runs/search")
                .then().statusCode(200).body("user", equalTo("bob"));
        json(given().auth().preemptive().basic("bob", FakeServices.READER_PASSWORD)).post("/api/2.0/mlflow/runs/create")
                .then().statusCode(403).body("message", containsString("bob"));
        for (RequestSpecification wrong : List.of(
                given().auth().preemptive().basic("alice", "wrong"),
                given().auth().preemptive().basic("alice", FakeServices.EDITOR_PASSWORD + " "),
                given().auth().preemptive().basic("mallory", FakeServices.EDITOR_PASSWORD),
                given().auth().oauth2("not-a-token"),
                given().header("Authorization", "Basic !!!notbase64"),
                given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())),
                given().header("Authorization", "Digest username=alice"),
                given().header("Authorization", "Bearer"))) {
            json(wrong).post("/api/2.0/mlflow/runs/create").then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("error_code", equalTo("UNAUTHENTICATED"));
        }
        // A token sent without its scheme is never echoed.
        json(given().header("Authorization", FakeServices.EDIT_TOKEN)).post("/api/2.0/mlflow/runs/create").then()
                .statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"))
                .body(not(containsString(FakeServices.EDIT_TOKEN)));
    }

    @Test
    void credentialsStopAtTheGatewayAndTheCallerCannotClaimAnotherName() {
        json(given().auth().oauth2(FakeServices.EDIT_TOKEN))
                .header("X-Quarkflow-User", "admin")
                .header("Cookie", "session=abc")
                .header("X-Quarkflow-Internal-Key", "a-guess-at-the-internal-key-0123456789")
                .post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200)
                .body("user", equalTo("ci"))
                .body("authorization", equalTo(null))
                .body("cookie", equalTo(null))
                // The suite's own key, set by the gateway, whatever the client sent in its place.
                .body("internal_key", equalTo("gateway-test-internal-key-0123456789"));
    }

    /** A path the route takes: its own with a model id for each variable segment, or one under its prefix. */
    private static String examplePath(Route route) {
        return route.prefix() ? route.path() + "example" : route.path().replaceAll("\\{[a-z_]+}", "m-0a1b2c");
    }

    private static RequestSpecification json(RequestSpecification request) {
        return request.contentType("application/json").body("{}");
    }

    private static Response send(RequestSpecification request, HttpMethod method, String path) {
        return request.urlEncodingEnabled(false).request(method.name(), path);
    }
}
