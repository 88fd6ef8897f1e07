package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Host allow-list and a CORS allow-list, as a deployment behind an ingress with a web UI would set them. */
@QuarkusTest
@TestProfile(AllowListsTest.Configured.class)
class AllowListsTest {

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkflow.gateway.allowed-hosts", "mlflow.example.com,localhost,[::1]",
                    "quarkflow.gateway.cors.allowed-origins", "https://ui.example.com");
        }
    }

    @Test
    void onlyListedHostsAreAnswered() {
        given().header("Host", "mlflow.example.com").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0").then().statusCode(200);
        given().header("Host", "MLFLOW.example.com:8443").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0").then().statusCode(200);
        int before = FakeServices.REQUESTS.get();
        // A DNS-rebinding page on attacker.example would send its own name as Host.
        given().header("Host", "attacker.example").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("Invalid Host header attacker.example"));
        assertEquals(before, FakeServices.REQUESTS.get());
    }

    @Test
    void anAllowedOriginGetsItsPreflightAnsweredWithoutCredentials() {
        int before = FakeServices.REQUESTS.get();
        given().header("Host", "localhost").header("Origin", "https://ui.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .options("/api/2.0/mlflow/runs/create")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", "https://ui.example.com")
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
        assertEquals(before, FakeServices.REQUESTS.get(), "a preflight reaches no service");
    }

    @Test
    void anAllowedOriginsRealRequestStillNeedsCredentials() {
        given().header("Host", "localhost").header("Origin", "https://ui.example.com")
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", "https://ui.example.com");
        given().header("Host", "localhost").header("Origin", "https://ui.example.com").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://ui.example.com")
                .header("Access-Control-Expose-Headers", "X-Request-Id");
    }

    @Test
    void otherOriginsAreRefused() {
        given().header("Host", "localhost").header("Origin", "https://ui.example.com.evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/2.0/mlflow/runs/create")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        given().header("Host", "localhost").header("Origin", "null").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(403);
    }
}
