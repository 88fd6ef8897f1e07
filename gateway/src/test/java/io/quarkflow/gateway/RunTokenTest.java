package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkflow.run.tokens.RunTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A run token (as the launcher gives each project run) reads everything and changes only its own run: JSON writes
 * whose body names it, artifacts under its run's location, logged models it created. Everything else is refused
 * before any service sees it; a token that does not verify with the gateway's key is no token at all.
 */
@QuarkusTest
class RunTokenTest {

    private static final RunTokens TOKENS = RunTokens.fromBase64Key(FakeServices.RUN_TOKEN_KEY, "test key");
    private static final String RUN = "0123456789abcdef0123456789abcdef";
    private static final String OTHER = "fedcba9876543210fedcba9876543210";
    private static final String TOKEN = TOKENS.mint(RUN);
    private static final List<String> RUN_WRITES = List.of("log-metric", "log-parameter", "log-batch", "set-tag",
            "delete-tag", "update", "log-inputs", "outputs", "log-model");

    @TestHTTPResource("/")
    URI gateway;

    @TestFactory
    List<DynamicTest> readsEverythingAndChangesNothingOutsideItsRun() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : Route.TABLE) {
            for (HttpMethod method : route.methods()) {
                String path = route.prefix() ? route.path() + "example" : route.path().replaceAll("\\{[a-z_]+}", "m-1");
                tests.add(DynamicTest.dynamicTest(method + " " + path, () -> {
                    int before = FakeServices.REQUESTS.get();
                    Response response = json(asRun(), "{\"run_id\": \"" + RUN + "\"}").urlEncodingEnabled(false)
                            .request(method.name(), path);
                    if (route.permission() == Permission.READ) {
                        assertEquals(200, response.statusCode());
                        if (route.target() != Route.Target.HEALTH && method != HttpMethod.HEAD) {
                            assertEquals("run:" + RUN, response.jsonPath().getString("user"));
                        }
                    } else {
                        assertEquals(403, response.statusCode(), "a write to no run of its own");
                        assertEquals("PERMISSION_DENIED", response.jsonPath().getString("error_code"));
                        assertEquals(before, FakeServices.REQUESTS.get(), "a refused write reached a service");
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void jsonWritesThatNameItsRunPassWithTheirBodyUnchanged() {
        for (String api : List.of("/api/2.0/mlflow/runs/", "/ajax-api/2.0/mlflow/runs/")) {
            for (String endpoint : RUN_WRITES) {
                String body = "{\"run_id\": \"" + RUN + "\", \"key\": \"k\", \"metrics\": [{\"run_id\": \"x\"}]}";
                json(asRun(), body).post(api + endpoint).then().statusCode(200)
                        .body("server", equalTo("tracking"))
                        .body("user", equalTo("run:" + RUN))
                        .body("authorization", equalTo(null))
                        .body("length", equalTo(body.getBytes(StandardCharsets.UTF_8).length))
                        .body("sha256", equalTo(FakeServices.sha256(body)));
            }
        }
        // The older run_uuid, alone or beside a run_id that agrees; an empty one does not count (as in MLflow).
        for (String body : List.of("{\"run_uuid\": \"" + RUN + "\"}",
                "{\"run_id\": \"" + RUN + "\", \"run_uuid\": \"" + RUN + "\"}",
                "{\"run_id\": \"\", \"run_uuid\": \"" + RUN + "\", \"value\": 1.5}")) {
            json(asRun(), body).post("/api/2.0/mlflow/runs/log-metric").then().statusCode(200)
                    .body("sha256", equalTo(FakeServices.sha256(body)));
        }
    }

    @Test
    void writesToAnotherRunOrNoRunAreRefusedAndReachNoService() {
        int before = FakeServices.REQUESTS.get();
        for (String body : List.of(
                "{\"run_id\": \"" + OTHER + "\", \"key\": \"k\", \"value\": \"v\"}",
                "{\"run_id\": \"" + RUN + "\", \"run_uuid\": \"" + OTHER + "\"}",
                "{\"run_uuid\": \"" + OTHER + "\", \"run_id\": \"" + RUN + "\"}",
                "{\"run_id\": \"" + RUN + "\", \"run_id\": \"" + OTHER + "\"}", // the service might read the last
                "{\"key\": \"k\", \"tags\": [{\"run_id\": \"" + RUN + "\"}]}", // nested is not the run's field
                "{\"run_id\": [\"" + RUN + "\"]}",
                "{\"run_id\": null}",
                "{\"run_id\": \"" + RUN + "\"} {\"run_id\": \"" + OTHER + "\"}",
                "{\"run_id\": \"" + RUN + "\"",
                "[\"" + RUN + "\"]",
                "")) {
            json(asRun(), body).post("/api/2.0/mlflow/runs/log-batch").then().statusCode(403)
                    .body("error_code", equalTo("PERMISSION_DENIED"))
                    .body("message", containsString(RUN));
        }
        String own = "{\"run_id\": \"" + RUN + "\", \"experiment_id\": \"1\", \"name\": \"x\"}";
        for (String endpoint : List.of("runs/create", "runs/delete", "runs/restore", "experiments/create",
                "experiments/update", "experiments/delete", "experiments/set-experiment-tag", "registered-models/create",
                "upload-artifact")) {
            json(asRun(), own).post("/api/2.0/mlflow/" + endpoint).then().statusCode(403);
            json(asRun(), own).post("/ajax-api/2.0/mlflow/" + endpoint).then().statusCode(403);
        }
        json(asRun(), "{\"uri\": \".\"}").post("/api/2.0/quarkflow/projects/runs/submit").then().statusCode(403);
        json(asRun(), "{\"path\": \"1/" + RUN + "/artifacts/a\"}").post("/api/2.0/quarkflow/artifacts/presign")
                .then().statusCode(403);
        assertEquals(before, FakeServices.REQUESTS.get(), "a refused write reached a service");
    }

    @Test
    void artifactsUnderItsRunsLocationPassAndOthersAreRefused() {
        for (String api : List.of("/api/2.0/mlflow-artifacts/", "/ajax-api/2.0/mlflow-artifacts/")) {
            asRun().contentType("application/octet-stream").body("weights".getBytes(StandardCharsets.UTF_8))
                    .put(api + "artifacts/7/" + RUN + "/artifacts/model/weights.bin")
                    .then().statusCode(200).body("server", equalTo("artifacts")).body("length", equalTo(7))
                    .body("user", equalTo("run:" + RUN));
            asRun().delete(api + "artifacts/7/" + RUN + "/artifacts/model").then().statusCode(200);
            for (String step : List.of("create", "complete", "abort")) {
                json(asRun(), "{\"path\": \"big.bin\"}").post(api + "mpu/" + step + "/7/" + RUN + "/artifacts/big")
                        .then().statusCode(200).body("server", equalTo("artifacts"));
            }
        }
        int before = FakeServices.REQUESTS.get();
        for (String path : List.of("7/" + OTHER + "/artifacts/a.txt", "7/" + RUN + "/a.txt", "7/" + RUN,
                RUN + "/artifacts/a.txt", "projects/p/project.tar.gz",
                "7/" + RUN + "%2F..%2F" + OTHER + "/artifacts/a.txt",
                "7/" + RUN + "/artifacts/..%2F..%2F" + OTHER + "/artifacts/a.txt",
                "7/" + RUN + "/artifacts/a%5C..%5C..%5Cb")) {
            asRun().urlEncodingEnabled(false).contentType("application/octet-stream").body("x".getBytes(StandardCharsets.UTF_8))
                    .put("/api/2.0/mlflow-artifacts/artifacts/" + path)
                    .then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
            json(asRun(), "{}").urlEncodingEnabled(false).post("/api/2.0/mlflow-artifacts/mpu/create/" + path)
                    .then().statusCode(403);
        }
        assertEquals(before, FakeServices.REQUESTS.get(), "a refused artifact write reached a service");
        // A literal '..' is refused for everyone before any route is chosen.
        asRun().urlEncodingEnabled(false).body("x".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/7/" + RUN + "/artifacts/../../" + OTHER + "/artifacts/a")
                .then().statusCode(400);
    }

    @Test
    void loggedModelsOfItsRunMayBeWrittenOthersNot() {
        json(asRun(), "{\"experiment_id\": \"7\", \"source_run_id\": \"" + RUN + "\", \"name\": \"model\"}")
                .post("/api/2.0/mlflow/logged-models").then().statusCode(200).body("server", equalTo("tracking"));
        String own = FakeServices.MODEL_OF + RUN;
        json(asRun(), "{\"status\": \"LOGGED_MODEL_READY\"}").patch("/api/2.0/mlflow/logged-models/" + own)
                .then().statusCode(200).body("method", equalTo("PATCH"));
        json(asRun(), "{\"params\": []}").post("/ajax-api/2.0/mlflow/logged-models/" + own + "/params")
                .then().statusCode(200);
        json(asRun(), "{\"tags\": []}").patch("/api/2.0/mlflow/logged-models/" + own + "/tags").then().statusCode(200);
        asRun().delete("/api/2.0/mlflow/logged-models/" + own + "/tags/k").then().statusCode(200);
        asRun().contentType("application/octet-stream").body("MLmodel".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/7/models/" + own + "/artifacts/MLmodel")
                .then().statusCode(200).body("server", equalTo("artifacts"));

        int before = FakeServices.REQUESTS.get();
        int lookups = FakeServices.MODEL_LOOKUPS.get();
        String foreign = FakeServices.MODEL_OF + OTHER;
        for (String body : List.of("{\"experiment_id\": \"7\", \"source_run_id\": \"" + OTHER + "\"}",
                "{\"experiment_id\": \"7\"}")) {
            json(asRun(), body).post("/api/2.0/mlflow/logged-models").then().statusCode(403);
        }
        json(asRun(), "{}").patch("/api/2.0/mlflow/logged-models/" + foreign).then().statusCode(403);
        asRun().delete("/api/2.0/mlflow/logged-models/" + foreign).then().statusCode(403);
        json(asRun(), "{}").post("/api/2.0/mlflow/logged-models/" + foreign + "/params").then().statusCode(403);
        asRun().contentType("application/octet-stream").body("x".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/7/models/" + foreign + "/artifacts/MLmodel")
                .then().statusCode(403);
        json(asRun(), "{}").patch("/api/2.0/mlflow/logged-models/" + foreign + "/anything").then().statusCode(403);
        int asked = FakeServices.MODEL_LOOKUPS.get() - lookups;
        assertTrue(asked <= 1, "the model's run is remembered: " + asked + " lookups");
        assertEquals(before + asked, FakeServices.REQUESTS.get(), "only the gateway's lookups reached a service");
    }

    @Test
    void tokensThatDoNotVerifyAreRefused() {
        String mac = TOKEN.substring(TOKEN.lastIndexOf('.') + 1);
        RunTokens otherKey = RunTokens.fromBase64Key(Base64.getEncoder().encodeToString(new byte[32]), "other");
        for (String token : List.of(
                "qfrun." + OTHER + "." + mac, // this run's MAC on another run
                TOKEN.substring(0, TOKEN.length() - 2) + (TOKEN.endsWith("AA") ? "BB" : "AA"),
                otherKey.mint(RUN),
                "qfrun." + RUN,
                "qfrun.",
                TOKEN + ".x")) {
            given().auth().oauth2(token).get("/api/2.0/mlflow/runs/get?run_id=" + RUN)
                    .then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
        }
    }

    @Test
    void aBodyTooLargeToCheckIsRefused413() throws IOException {
        int before = FakeServices.REQUESTS.get();
        // Announced: answered before a byte of it is sent.
        String announced = exchange("Content-Length: " + (RunWrites.MAX_JSON_BODY + 1) + "\r\nExpect: 100-continue\r\n",
                null);
        assertTrue(announced.startsWith("HTTP/1.1 413"), announced);
        assertTrue(announced.contains("\"error_code\":\"INVALID_PARAMETER_VALUE\""), announced);
        // Chunked, of unknown length: refused once the bound is passed.
        byte[] chunk = ("{\"run_id\": \"" + RUN + "\", \"pad\": \"" + "x".repeat(1 << 20)).getBytes(StandardCharsets.US_ASCII);
        String streamed = exchange("Transfer-Encoding: chunked\r\n", chunk);
        assertTrue(streamed.startsWith("HTTP/1.1 413"), streamed);
        assertEquals(before, FakeServices.REQUESTS.get(), "a refused write reached a service");
    }

    /** A log-batch POST with these headers; {@code chunk} (if any) is sent as chunks until 20 MiB or refusal. */
    private String exchange(String headers, byte[] chunk) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Type: application/json\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (chunk != null) {
                Thread writer = new Thread(() -> {
                    try {
                        for (int sent = 0; sent < 20; sent++) {
                            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(chunk);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.flush();
                    } catch (IOException closedByTheGateway) {
                        // expected once the gateway has answered
                    }
                });
                writer.setDaemon(true);
                writer.start();
            }
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(512), StandardCharsets.US_ASCII);
            return answer.toLowerCase(Locale.ROOT).startsWith("http/1.1 100") ? answer.substring(answer.indexOf("HTTP/1.1", 4))
                    : answer;
        }
    }

    private static RequestSpecification asRun() {
        return given().auth().oauth2(TOKEN);
    }

    private static RequestSpecification json(RequestSpecification request, String body) {
        return request.contentType("application/json").body(body);
    }
}
