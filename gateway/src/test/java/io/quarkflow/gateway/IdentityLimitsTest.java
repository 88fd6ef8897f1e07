package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One identity's requests in flight are limited (a quarter of the 128 connections per service by default: 32), so its
 * slow uploads cannot take the connections everybody else's requests need (issue 17: 64 uploads trickling a byte
 * every 3 s blocked every artifact request); and every exchange gives its place back once, however it ends.
 */
@QuarkusTest
class IdentityLimitsTest {

    private static final int LIMIT = 32;
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/1/r/";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void sixtyFiveTricklingUploadsOfOneIdentityLeaveEveryoneElseServed() throws Exception {
        List<Trickle> trickles = new ArrayList<>();
        try {
            int before = FakeServices.REQUESTS.get();
            for (int i = 0; i < LIMIT; i++) {
                trickles.add(Trickle.start(gateway, ARTIFACTS + "held-" + i + ".bin", 1000));
            }
            awaitRequests(before + LIMIT);
            for (int i = LIMIT; i < 65; i++) {
                Trickle refused = Trickle.start(gateway, ARTIFACTS + "refused-" + i + ".bin", 1000);
                trickles.add(refused);
                Trickle.Answer answer = refused.answer();
                assertEquals(429, answer.status(), answer.toString());
                assertEquals("application/json", answer.headers().get("content-type"));
                assertEquals("5", answer.headers().get("retry-after"));
                assertEquals("close", answer.headers().get("connection"), "the unread body is not read");
                assertEquals(new JsonObject().put("error_code", "REQUEST_LIMIT_EXCEEDED").put("message",
                        "Too many requests in flight for ci: at most 32 at once "
                                + "(quarkflow.gateway.max-requests-per-identity). Try again later."), answer.json());
            }
            assertEquals(before + LIMIT, FakeServices.REQUESTS.get(), "a refused upload reached the service");

            // Everybody else is served at once, the same service included.
            long started = System.nanoTime();
            HttpResponse<String> read = HTTP.send(request(ARTIFACTS + "a.txt", "Bearer " + FakeServices.READ_TOKEN)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode(), read.body());
            assertEquals("dashboard", new JsonObject(read.body()).getString("user"));
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    ("alice:" + FakeServices.EDITOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> upload = HTTP.send(request(ARTIFACTS + "alice.bin", basic)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, upload.statusCode(), upload.body());
            assertEquals(100_000, new JsonObject(upload.body()).getLong("length"));
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4),
                    "served without waiting for a connection (upstream-wait is 5 s)");
        } finally {
            closeHeld(trickles, "held-");
        }
    }

    @Test
    void everyExchangeGivesItsPlaceBackOnceHoweverItEnds() throws Exception {
        int rounds = LIMIT + 8; // each way of ending, more often than the limit: one leak each would show below
        for (int i = 0; i < rounds; i++) {
            // The client goes away mid-upload, and right after its headers.
            Trickle gone = Trickle.start(gateway, ARTIFACTS + "gone-" + i + ".bin", 1000);
            gone.send(100);
            gone.close();
            Trickle.start(gateway, ARTIFACTS + "gone-at-once-" + i + ".bin", 1000).close();
            // The service answers before the body is sent; the client then leaves without sending it.
            try (Trickle early = Trickle.start(gateway, ARTIFACTS + "answer-at-once", 1000)) {
                Trickle.Answer answer = early.answer();
                assertEquals(200, answer.status(), "round " + i + ": " + answer);
            }
            // The service cuts its answer halfway.
            HttpResponse<InputStream> cut = HTTP.send(request(ARTIFACTS + "cut-download",
                    "Bearer " + FakeServices.EDIT_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = cut.body()) {
                assertThrows(IOException.class, body::readAllBytes);
            }
            // An answer of the service's own that is an error.
            assertEquals(404, HTTP.send(request("/api/2.0/mlflow/runs/status-404", "Bearer " + FakeServices.EDIT_TOKEN)
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        // The service is down.
        FakeServices.stopTracking();
        try {
            for (int i = 0; i < rounds; i++) {
                assertEquals(503, HTTP.send(request("/api/2.0/mlflow/experiments/get?experiment_id=0",
                        "Bearer " + FakeServices.EDIT_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode());
            }
        } finally {
            FakeServices.startTracking();
        }
        Thread.sleep(500); // the gateway hears of the last closed connections

        // Exactly the limit is admitted again: no place leaked, none given back twice.
        List<Trickle> held = new ArrayList<>();
        try {
            int before = FakeServices.REQUESTS.get();
            for (int i = 0; i < LIMIT; i++) {
                held.add(Trickle.start(gateway, ARTIFACTS + "again-" + i + ".bin", 1000));
            }
            awaitRequests(before + LIMIT);
            Trickle over = Trickle.start(gateway, ARTIFACTS + "over.bin", 1000);
            held.add(over);
            assertEquals(429, over.answer().status());
        } finally {
            closeHeld(held, "again-");
        }
    }

    /**
     * Closes the uploads and waits until the service saw each held one broken off: the gateway, which cuts the
     * service's side as it learns that its client left, has then given their places back too.
     */
    private static void closeHeld(List<Trickle> trickles, String prefix) throws Exception {
        for (Trickle trickle : trickles) {
            trickle.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < Math.min(LIMIT, trickles.size()); i++) {
            String path = ARTIFACTS + prefix + i + ".bin";
            while (!"broken".equals(FakeServices.BODIES.get(path)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("broken", FakeServices.BODIES.get(path), path);
        }
    }

    private static void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (FakeServices.REQUESTS.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, FakeServices.REQUESTS.get(), "requests that reached the services");
    }

    private HttpRequest.Builder request(String path, String authorization) {
        return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization);
    }
}
