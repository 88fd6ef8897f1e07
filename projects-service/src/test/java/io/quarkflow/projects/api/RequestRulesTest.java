package io.quarkflow.projects.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The request rules every service shares (mlflow-errors, mlflow-wire), through a real one: a Content-Type the
 * gateway lets through is one the service takes, and a NUL character anywhere is MLflow's 400, never a 500.
 */
@QuarkusTest
class RequestRulesTest {

    private static final String CANCEL = "/api/2.0/quarkflow/projects/runs/cancel";

    @Test
    void aContentTypeIsJsonWithWellFormedParametersOrRefusedAsMlflowDoes() {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (String accepted : List.of("application/json", "application/json; charset=utf-8",
                "application/json; charset=\"utf-8\"", "application/json;v=1")) {
            statuses.put(accepted, given().contentType(accepted).body("{\"run_id\": \"none\"}").post(CANCEL)
                    .statusCode());
        }
        assertEquals(Map.of("application/json", 404, "application/json; charset=utf-8", 404,
                "application/json; charset=\"utf-8\"", 404, "application/json;v=1", 404), statuses,
                "taken, and answered: no such run");
        // MLflow's own check refuses the first two as well; the next two would be the service parser's 415.
        for (String refused : List.of("Application/JSON", "application/json ; charset=utf-8",
                "application/json ; x", "application/json; charset", "text/plain")) {
            given().contentType(refused).body("{\"run_id\": \"none\"}").post(CANCEL).then().statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .body("message", equalTo("Bad Request. Content-Type must be one of ['application/json']."));
        }
    }

    @Test
    void aNulCharacterIsRefusedInBodiesAndQueries() {
        given().contentType("application/json").body("{\"run_id\": \"a\\u0000b\"}").post(CANCEL).then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", equalTo("Invalid value for parameter 'run_id' in request body: it contains a NUL "
                        + "character"));
        given().urlEncodingEnabled(false).get("/api/2.0/quarkflow/projects/runs/get?run_id=a%00b").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", equalTo("Invalid value for parameter 'run_id': it contains a NUL character"));
    }
}
