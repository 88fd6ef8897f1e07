package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkflow.run.tokens.RunTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A gateway given no run-token key accepts no run token, however it was made; the other tokens still work. */
@QuarkusTest
@TestProfile(RunTokenWithoutKeyTest.NoKey.class)
class RunTokenWithoutKeyTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkflow.gateway.auth.run-token-key", ""); // empty is unset
        }
    }

    @Test
    void runTokensAreRefused() {
        String token = RunTokens.fromBase64Key(FakeServices.RUN_TOKEN_KEY, "test key").mint("r1");
        given().auth().oauth2(token).get("/api/2.0/mlflow/runs/get?run_id=r1")
                .then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2(FakeServices.READ_TOKEN).get("/api/2.0/mlflow/runs/get?run_id=r1")
                .then().statusCode(200).body("user", equalTo("dashboard"));
    }
}
