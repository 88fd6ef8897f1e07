package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class SmokeTest {

    @Test
    void createsExperimentAndRunAndLogs() {
        String experimentId = given().contentType(ContentType.JSON).body("{\"name\": \"smoke-" + System.nanoTime() + "\"}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String runId = given().contentType(ContentType.JSON).body("{\"experiment_id\": \"" + experimentId + "\"}")
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200)
                .body("run.info.run_id", matchesPattern("[0-9a-f]{32}"))
                .extract().path("run.info.run_id");
        given().contentType(ContentType.JSON)
                .body("{\"run_id\": \"" + runId + "\", \"metrics\": [{\"key\": \"m\", \"value\": \"NaN\", \"timestamp\": 1, \"step\": 0}],"
                        + "\"params\": [{\"key\": \"p\", \"value\": \"v\"}]}")
                .post("/api/2.0/mlflow/runs/log-batch").then().statusCode(200).body(equalTo("{}"));
        given().get("/ajax-api/2.0/mlflow/runs/get?run_id=" + runId).then().log().body().statusCode(200)
                .body("run.data.params", hasSize(1))
                .body("run.data.metrics[0].value", equalTo("NaN"));
    }
}
