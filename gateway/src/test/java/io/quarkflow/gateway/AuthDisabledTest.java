package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Authentication turned off explicitly, as on a laptop behind loopback: everything else still applies. */
@QuarkusTest
@TestProfile(AuthDisabledTest.Disabled.class)
class AuthDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkflow.gateway.auth.enabled", "false");
        }
    }

    @Test
    void requestsPassWithoutCredentialsAsAnonymous() {
        given().contentType("application/json").body("{}").post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).body("server", equalTo("tracking")).body("user", equalTo("anonymous"));
        given().get("/api/2.0/mlflow/artifacts/list?run_id=r").then().statusCode(200).body("server", equalTo("artifacts"));
    }

    @Test
    void theOtherRulesStillHold() {
        given().contentType("text/plain").body("{}").post("/api/2.0/mlflow/runs/create")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().get("/api/2.0/nothing").then().statusCode(404).body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
        given().header("Origin", "https://evil.example").get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(403);
    }
}
