package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** With nothing configured: no foreign origin may call the API, whatever credentials it holds. */
@QuarkusTest
class BrowserSafetyTest {

    @Test
    void crossOriginRequestsAreRefusedByDefault() {
        given().header("Origin", "https://evil.example").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"))
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/2.0/mlflow/runs/create")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aRequestFromTheGatewaysOwnOriginIsNotCrossOrigin() {
        given().header("Origin", "http://gateway.local:5000").header("Host", "gateway.local:5000")
                .auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(200).body("server", equalTo("tracking"));
    }

    @Test
    void anyHostIsAnsweredWhenNoAllowListIsSet() {
        given().header("Host", "whatever.example").auth().oauth2(FakeServices.EDIT_TOKEN)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(200);
        given().header("Host", "whatever.example").get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(401).body("message", containsString("Authentication required"));
    }
}
