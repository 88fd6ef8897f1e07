package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkflow.run.tokens.RunTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * The web UI's files at / (public, with a strict content policy) and its sessions: a sign-in with a password or a
 * token sets an HttpOnly, SameSite=Strict cookie that stands for the credential on later requests; a forged,
 * tampered or signed-out cookie stands for nothing; a browser's change needs an Origin; the API's own answers may
 * never run as a page.
 */
@QuarkusTest
class WebUiTest {

    private static final String ORIGIN = "Origin";

    @Test
    void theUiIsServedWithoutCredentialsUnderAStrictPolicy() {
        Response page = given().get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().asString().contains("/ui/app.js"));
        assertEquals(WebUi.PAGE_POLICY, page.header("Content-Security-Policy"));
        String etag = page.header("ETag");
        assertNotNull(etag);
        given().header("If-None-Match", etag).get("/").then().statusCode(304);
        given().header("Accept-Encoding", "gzip").get("/ui/app.js").then().statusCode(200)
                .header("Content-Encoding", "gzip").contentType(containsString("text/javascript"));
        // A file the UI does not have is no file: it is an API path like any other, behind authentication.
        given().get("/ui/nothing.js").then().statusCode(401);
    }

    @Test
    void aPasswordSignInSetsASessionCookieThatStandsForTheUser() {
        Response signIn = signIn("{\"username\": \"alice\", \"password\": \"" + FakeServices.EDITOR_PASSWORD + "\"}");
        signIn.then().statusCode(200).body("user", equalTo("alice")).body("permission", equalTo("EDIT"))
                .body("authentication", equalTo(true));
        String setCookie = signIn.header("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"),
                setCookie);
        String cookie = signIn.cookie(SessionCookie.NAME);

        given().cookie(SessionCookie.NAME, cookie).get("/ui/session").then().statusCode(200)
                .body("user", equalTo("alice"));
        given().cookie(SessionCookie.NAME, cookie).get("/api/2.0/mlflow/experiments/get?experiment_id=1").then()
                .statusCode(200).body("server", equalTo("tracking")).body("user", equalTo("alice"))
                .header("Content-Security-Policy", Gateway.API_POLICY);
        // A change from the browser carries its page's Origin: this gateway's own.
        given().cookie(SessionCookie.NAME, cookie).header(ORIGIN, "http://localhost:" + port())
                .contentType("application/json").body("{}").post("/api/2.0/mlflow/experiments/create").then()
                .statusCode(200).body("user", equalTo("alice"));
    }

    @Test
    void aChangeWithTheCookieButWithoutAnOriginIsRefusedBeforeAnyService() {
        String cookie = signIn("{\"username\": \"alice\", \"password\": \"" + FakeServices.EDITOR_PASSWORD + "\"}")
                .cookie(SessionCookie.NAME);
        int before = FakeServices.REQUESTS.get();
        given().cookie(SessionCookie.NAME, cookie).contentType("application/json").body("{}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(401)
                .body("error_code", equalTo("UNAUTHENTICATED"));
        given().cookie(SessionCookie.NAME, cookie).header(ORIGIN, "http://evil.example")
                .contentType("application/json").body("{}").post("/api/2.0/mlflow/experiments/create").then()
                .statusCode(403);
        assertEquals(before, FakeServices.REQUESTS.get());
    }

    @Test
    void aTokenSignInKeepsTheTokensPermission() {
        String cookie = signIn("{\"token\": \"" + FakeServices.READ_TOKEN + "\"}").then().statusCode(200)
                .body("user", equalTo("dashboard")).body("permission", equalTo("READ"))
                .extract().cookie(SessionCookie.NAME);
        given().cookie(SessionCookie.NAME, cookie).header(ORIGIN, "http://localhost:" + port())
                .contentType("application/json").body("{}").post("/api/2.0/mlflow/experiments/create").then()
                .statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
    }

    @Test
    void wrongCredentialsAndRunTokensGetNoSession() {
        Response wrong = signIn("{\"username\": \"alice\", \"password\": \"guess\"}");
        wrong.then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"))
                .header("Set-Cookie", nullValue());
        String runToken = RunTokens.fromBase64Key(FakeServices.RUN_TOKEN_KEY, "test key")
                .mint("0123456789abcdef0123456789abcdef");
        signIn("{\"token\": \"" + runToken + "\"}").then().statusCode(401)
                .body("message", containsString("run's token")).header("Set-Cookie", nullValue());
        signIn("{\"username\": \"alice\"}").then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().contentType("text/plain").body("username=alice").post(WebSessions.SIGN_IN).then().statusCode(400);
    }

    @Test
    void aTamperedCookieIsNoSessionAndTheUiIsNotChallenged() {
        String cookie = signIn("{\"username\": \"alice\", \"password\": \"" + FakeServices.EDITOR_PASSWORD + "\"}")
                .cookie(SessionCookie.NAME);
        String[] parts = cookie.split("\\.");
        // The same signature on another name ("bob", base64url).
        String forged = "Ym9i." + parts[1] + "." + parts[2] + "." + parts[3];
        given().cookie(SessionCookie.NAME, forged).get("/ui/session").then().statusCode(401)
                .body("message", containsString("session has ended")).header("WWW-Authenticate", not(nullValue()));
        given().cookie(SessionCookie.NAME, forged).header("X-Requested-With", "quarkflow-ui").get("/ui/session").then()
                .statusCode(401).header("WWW-Authenticate", nullValue());
    }

    @Test
    void signingOutDeletesTheCookie() {
        given().contentType("application/json").body("{}").post(WebSessions.SIGN_OUT).then().statusCode(200)
                .header("Set-Cookie", containsString("Max-Age=0"));
    }

    private static Response signIn(String body) {
        return given().contentType("application/json").body(body).post(WebSessions.SIGN_IN);
    }

    private static int port() {
        return io.restassured.RestAssured.port;
    }
}
