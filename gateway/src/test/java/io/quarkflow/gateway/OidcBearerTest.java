package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bearer JWTs from an OpenID Connect provider (a WireMock provider publishing its discovery document and signing
 * keys), verified by quarkus-oidc: the role decides the permission; forged, expired and foreign tokens are refused.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.WithOidc.class)
class OidcBearerTest {

    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkflow.gateway.auth.oidc.enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
                    "quarkus.oidc.token.issuer", "https://server.example.com");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
        }
    }

    @Test
    void theEditRoleMayChangeAndAnyOtherValidTokenMayRead() {
        String editor = OidcWiremockTestResource.getAccessToken("alice", Set.of("quarkflow-edit"));
        given().auth().oauth2(editor).contentType("application/json").body("{}").post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).body("user", equalTo("alice")).body("authorization", equalTo(null));
        String reader = OidcWiremockTestResource.getAccessToken("bob", Set.of("staff"));
        given().auth().oauth2(reader).contentType("application/json").body("{}").post("/api/2.0/mlflow/runs/search")
                .then().statusCode(200).body("user", equalTo("bob"));
        given().auth().oauth2(reader).contentType("application/json").body("{}").post("/api/2.0/mlflow/runs/create")
                .then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
    }

    @Test
    void tokensThatDoNotVerifyAreRefused() {
        String valid = OidcWiremockTestResource.getAccessToken("alice", Set.of("quarkflow-edit"));
        String[] parts = valid.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        // Signed with the provider's own key, but claiming another issuer, or expired.
        String wrongIssuer = Jwt.preferredUserName("alice").groups(Set.of("quarkflow-edit"))
                .issuer("https://evil.example.com").jws().keyId("1").sign("privateKey.jwk");
        String expired = Jwt.preferredUserName("alice").groups(Set.of("quarkflow-edit"))
                .issuer("https://server.example.com").issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).jws().keyId("1").sign("privateKey.jwk");
        for (String token : List.of("a.b.c", forged, wrongIssuer, expired)) {
            given().auth().oauth2(token).get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                    .then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
        }
    }

    @Test
    void configuredTokensStillWorkBesideOidc() {
        given().auth().oauth2(FakeServices.READ_TOKEN).get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(200).body("user", equalTo("dashboard"));
    }
}
