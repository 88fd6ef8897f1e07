package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** What the gateway does to a request on its way to a service and to the answer on its way back. */
@QuarkusTest
class ProxyTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void largeBodiesArriveIntactBothWithALengthAndChunked() throws Exception {
        byte[] body = new byte[48 * 1024 * 1024 + 13];
        new Random(7).nextBytes(body);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

        HttpResponse<String> fixed = HTTP.send(upload("/api/2.0/mlflow-artifacts/artifacts/1/r/a.bin")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fixed.statusCode());
        assertEquals(expected, new JsonObject(fixed.body()).getString("sha256"));

        // No length known in advance: the client sends it chunked and the gateway forwards it chunked.
        HttpResponse<String> chunked = HTTP.send(upload("/api/2.0/mlflow-artifacts/artifacts/1/r/b.bin")
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chunked.statusCode());
        assertEquals(body.length, new JsonObject(chunked.body()).getLong("length"));
        assertEquals(expected, new JsonObject(chunked.body()).getString("sha256"));
    }

    @Test
    void anUploadReachesTheServiceWhileTheClientIsStillSending() throws Exception {
        PipedInputStream source = new PipedInputStream(FakeServices.CHUNK);
        PipedOutputStream client = new PipedOutputStream(source);
        FakeServices.UPLOADED.set(0);
        CompletableFuture<HttpResponse<String>> answer = HTTP.sendAsync(
                upload("/api/2.0/mlflow-artifacts/artifacts/1/r/streamed.bin")
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> source)).build(),
                HttpResponse.BodyHandlers.ofString());
        client.write(new byte[FakeServices.CHUNK]);
        client.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (FakeServices.UPLOADED.get() < FakeServices.CHUNK / 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(FakeServices.UPLOADED.get() >= FakeServices.CHUNK / 2,
                "the first half megabyte reached the service before the upload ended (no buffering)");
        assertTrue(!answer.isDone());
        client.write(new byte[FakeServices.CHUNK]);
        client.close();
        assertEquals(2L * FakeServices.CHUNK,
                new JsonObject(answer.get(10, TimeUnit.SECONDS).body()).getLong("length"));
    }

    @Test
    void aDownloadReachesTheClientWhileTheServiceIsStillSending() throws Exception {
        FakeServices.releaseDownload = new CompletableFuture<>();
        HttpResponse<InputStream> response = HTTP.send(authorised("/api/2.0/mlflow-artifacts/artifacts/1/r/slow-download")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(FakeServices.CHUNK);
            assertEquals(FakeServices.CHUNK, first.length, "the first half arrived while the service held the second");
            FakeServices.releaseDownload.complete(null);
            assertEquals(FakeServices.CHUNK, body.readAllBytes().length);
        }
    }

    @Test
    void aResponseCutByTheServiceIsCutForTheClientToo() throws Exception {
        HttpResponse<InputStream> response = HTTP.send(authorised("/api/2.0/mlflow-artifacts/artifacts/1/r/cut-download")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(2 * FakeServices.CHUNK), response.headers().firstValue("Content-Length").orElseThrow());
        try (InputStream body = response.body()) {
            // The client must see a failed transfer, never a short body that looks complete.
            assertThrows(IOException.class, body::readAllBytes);
        }
    }

    @Test
    void theServicesAnswerPassesThroughWithItsStatusAndTheGatewaysHeaders() {
        given().auth().oauth2(FakeServices.EDIT_TOKEN).urlEncodingEnabled(false)
                .get("/api/2.0/mlflow/runs/status-404?run_id=x&a=%20b")
                .then().statusCode(404)
                .body("uri", equalTo("/api/2.0/mlflow/runs/status-404?run_id=x&a=%20b"))
                // the service said SAMEORIGIN; the gateway's stricter rule is what leaves
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void requestIdsArePropagatedOrMade() {
        given().auth().oauth2(FakeServices.EDIT_TOKEN).header("X-Request-Id", "client-42.a:b")
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(200)
                .header("X-Request-Id", "client-42.a:b")
                .body("request_id", equalTo("client-42.a:b"));
        String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        given().auth().oauth2(FakeServices.EDIT_TOKEN).header("X-Request-Id", "bad id\u0007 with spaces")
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                .then().statusCode(200)
                .header("X-Request-Id", matchesPattern(uuid))
                .body("request_id", matchesPattern(uuid));
        // the gateway's own answers carry one as well
        given().get("/api/2.0/mlflow/experiments/get").then().statusCode(401)
                .header("X-Request-Id", matchesPattern(uuid))
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void theAccessLogNamesTheRequestIdTheUserAndTheOutcome() {
        // The access logger sits at WARN in tests to keep the build output short; this test lifts it.
        Logger access = Logger.getLogger("io.quarkflow.gateway.access");
        Level before = access.getLevel();
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        access.setLevel(Level.INFO);
        access.addHandler(capture);
        try {
            given().auth().oauth2(FakeServices.EDIT_TOKEN).header("X-Request-Id", "logged-1")
                    .get("/api/2.0/mlflow/experiments/get?experiment_id=0").then().statusCode(200);
            given().header("X-Request-Id", "logged-2").get("/api/2.0/mlflow/experiments/get").then().statusCode(401);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (lines.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("logged-1 ci GET /api/2.0/mlflow/experiments/get 200 ")),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("logged-2 - GET /api/2.0/mlflow/experiments/get 401 ")),
                    lines.toString());
        } finally {
            access.removeHandler(capture);
            access.setLevel(before);
        }
    }

    @Test
    void postsMustBeJson() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "*/*"}) {
            int before = FakeServices.REQUESTS.get();
            HttpResponse<String> refused = HTTP.send(authorised("/api/2.0/mlflow/experiments/create")
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode());
            assertEquals(new JsonObject().put("error_code", "INVALID_PARAMETER_VALUE")
                    .put("message", "Bad Request. Content-Type must be one of ['application/json']."),
                    new JsonObject(refused.body()));
            assertEquals(before, FakeServices.REQUESTS.get());
        }
        HttpResponse<String> untyped = HTTP.send(authorised("/api/2.0/mlflow/experiments/create")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, untyped.statusCode());
        assertEquals("Bad Request. Content-Type header is missing.", new JsonObject(untyped.body()).getString("message"));
        given().auth().oauth2(FakeServices.EDIT_TOKEN).contentType("application/json; charset=utf-8").body("{}")
                .post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(200).body("content_type", equalTo("application/json; charset=utf-8"));
    }

    @Test
    void anUnauthorisedUploadIsRefusedBeforeItsBodyIsSent() throws Exception {
        // With Expect: 100-continue the client waits for a go-ahead; the gateway sends one only to authorised
        // requests, so a refused gigabyte is never transferred.
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/2.0/mlflow-artifacts/artifacts/1/r/huge.bin HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 1073741824\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 401", answer);
        }
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/2.0/mlflow-artifacts/artifacts/1/r/small.bin HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + FakeServices.EDIT_TOKEN + "\r\n"
                    + "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertArrayEquals("HTTP/1.1 100 Continue".getBytes(StandardCharsets.US_ASCII), in.readNBytes(21));
            out.write("abc".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = new String(in.readNBytes(40), StandardCharsets.US_ASCII);
            assertTrue(rest.startsWith("\r\n\r\nHTTP/1.1 200 OK"), rest);
        }
    }

    /** Content-Length is 64 bits wide all the way: 2 GiB and 5 TiB reach the service as announced, in digits alone. */
    @Test
    void lengthsBeyondTwoGibibytesReachTheServiceAsAnnounced() throws IOException {
        for (String announced : List.of("2147483648", "5497558138880", "0002148532224")) {
            RawAnswer answer = raw("Content-Length: " + announced);
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(Long.toString(Long.parseLong(announced)), answer.json().getString("content_length"));
            assertEquals(null, answer.json().getString("transfer_encoding"));
        }
    }

    @Test
    void lengthsAboveTheLimitAre413AndMalformedOnes400BeforeAnyService() throws IOException {
        int before = FakeServices.REQUESTS.get();
        for (String announced : List.of("5497558138881", "1000000000000000000", "9223372036854775807")) {
            RawAnswer tooLarge = raw("Content-Length: " + announced);
            assertEquals(413, tooLarge.status(), tooLarge.toString());
            assertEquals("application/json", tooLarge.headers().get("content-type"));
            assertEquals(new JsonObject().put("error_code", "INVALID_PARAMETER_VALUE").put("message",
                    "The request body is larger than 5497558138880 bytes (quarkflow.gateway.max-body-size)."),
                    tooLarge.json());
            assertEquals("close", tooLarge.headers().get("connection"), "the unread body is not read");
        }
        // Netty refuses these before any handler of the gateway runs: 400, with Vert.x's empty body.
        for (String bad : List.of("abc", "-1", "+3", "3, 4", "9223372036854775808", "99999999999999999999")) {
            assertEquals(400, raw("Content-Length: " + bad).status(), bad);
        }
        assertEquals(400, raw("Content-Length: 3\r\nContent-Length: 300").status());
        assertEquals(before, FakeServices.REQUESTS.get(), "a refused request reached a service");
    }

    /** The status, lower-cased headers and body of an answer read off a socket. */
    private record RawAnswer(int status, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /**
     * A PUT of three bytes with these headers, sent as written (no client library would send a wrong length), to a
     * fake service that answers at once with the Content-Length it received.
     */
    private RawAnswer raw(String headers) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/2.0/mlflow-artifacts/artifacts/1/r/answer-at-once HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + FakeServices.EDIT_TOKEN + "\r\n" + headers + "\r\n\r\nabc")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(readHead(in), StandardCharsets.US_ASCII);
            String[] lines = head.split("\r\n");
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                fields.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            String length = fields.get("content-length");
            byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), fields,
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                byte[] bytes = head.toByteArray();
                return Arrays.copyOf(bytes, bytes.length - 4);
            }
        }
        return head.toByteArray();
    }

    @Test
    void aConnectionTheServiceClosedBeforeAnsweringIsTriedOnceMoreWhenTheRequestCanBeSentAgain() {
        // Without a body: sent again on a new connection, answered by the service.
        given().auth().oauth2(FakeServices.EDIT_TOKEN)
                .delete("/api/2.0/mlflow/logged-models/m-1/tags/closed-once")
                .then().statusCode(200).body("server", equalTo("tracking")).body("method", equalTo("DELETE"));
        // A JSON request's body is read whole before it is sent (MLflow's API requests are small): sent again too.
        given().auth().oauth2(FakeServices.EDIT_TOKEN).contentType("application/json").body("{\"tags\": []}")
                .patch("/api/2.0/mlflow/logged-models/m-1/tags/closed-once")
                .then().statusCode(200).body("server", equalTo("tracking"));
        // A streamed body has gone to the first connection: it cannot be sent again, so the client hears 503.
        given().auth().oauth2(FakeServices.EDIT_TOKEN).contentType("application/octet-stream")
                .body(new byte[1024]).put("/api/2.0/mlflow-artifacts/artifacts/1/r/closed-once")
                .then().statusCode(503).body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
    }

    @Test
    void theSecondAttemptTakesANewConnectionNotAnotherPooledOne() throws Exception {
        // Several kept-alive connections in the pool, every one of which the service closes when next used.
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> primed = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                primed.add(callers.submit(() -> given().auth().oauth2(FakeServices.EDIT_TOKEN)
                        .get("/api/2.0/mlflow/runs/answer-later").statusCode()));
            }
            for (java.util.concurrent.Future<Integer> status : primed) {
                assertEquals(200, status.get(10, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/api/2.0/mlflow/runs/closed-when-reused")
                .then().statusCode(200).body("server", equalTo("tracking"));
    }

    @Test
    void aServiceErrorWithoutMlflowsBodyGetsOne() {
        given().auth().oauth2(FakeServices.EDIT_TOKEN).contentType("application/json").body("{}")
                .patch("/api/2.0/mlflow/logged-models/m-1/tags/bare-413")
                .then().statusCode(413)
                .contentType("application/json")
                .body("error_code", equalTo("BAD_REQUEST"))
                .body("message", equalTo("tracking-service refused the request: Request body too large."));
        // A service's own MLflow error passes as it is.
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/api/2.0/mlflow/runs/status-404")
                .then().statusCode(404).body("server", equalTo("tracking"));
    }

    @Test
    void anUnreachableServiceIsTemporarilyUnavailable() {
        FakeServices.stopTracking();
        try {
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                    .then().statusCode(503)
                    .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"))
                    .body("message", equalTo("tracking-service is unavailable; try again later."));
            given().auth().oauth2(FakeServices.EDIT_TOKEN).contentType("application/json").body("{\"name\":\"x\"}")
                    .post("/api/2.0/mlflow/experiments/create")
                    .then().statusCode(503);
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/health")
                    .then().statusCode(503)
                    .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"))
                    .body("message", equalTo("tracking-service is unreachable"));
            // the other service is still served
            given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/api/2.0/mlflow-artifacts/artifacts/1/r/a.txt")
                    .then().statusCode(200);
        } finally {
            FakeServices.startTracking();
        }
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/health").then().statusCode(200).body(equalTo("OK"));
    }

    private HttpRequest.Builder authorised(String path) {
        return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + FakeServices.EDIT_TOKEN);
    }

    private HttpRequest.Builder upload(String path) {
        return authorised(path).header("Content-Type", "application/octet-stream");
    }
}
