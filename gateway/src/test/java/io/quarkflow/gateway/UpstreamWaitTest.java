package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request that gets no connection to its service within quarkflow.gateway.upstream-wait is answered 503, and one
 * more than max-waiting-per-service may wait is answered 503 at once, instead of waiting as long as the requests
 * ahead of it last. Two connections per service here, so two slow uploads fill the pool.
 */
@QuarkusTest
@TestProfile(UpstreamWaitTest.SmallPool.class)
class UpstreamWaitTest {

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkflow.gateway.max-connections-per-service", "2",
                    "quarkflow.gateway.max-waiting-per-service", "1",
                    "quarkflow.gateway.upstream-wait", "2s",
                    "quarkflow.gateway.max-requests-per-identity", "50",
                    "quarkflow.gateway.min-rate-window", "1h");
        }
    }

    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/1/r/";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void noConnectionWithinTheWaitIs503AndTheQueueIsBounded() throws Exception {
        List<Trickle> held = new ArrayList<>();
        try {
            int before = FakeServices.REQUESTS.get();
            for (int i = 0; i < 2; i++) {
                held.add(Trickle.start(gateway, ARTIFACTS + "holds-" + i + ".bin", 1000));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (FakeServices.REQUESTS.get() < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(before + 2, FakeServices.REQUESTS.get(), "both uploads hold a connection");

            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> waiting = HTTP.sendAsync(get(ARTIFACTS + "waits.txt"),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500); // it is waiting for a connection now, the one place in the queue taken
            HttpResponse<String> queueFull = HTTP.send(get(ARTIFACTS + "no-room.txt"),
                    HttpResponse.BodyHandlers.ofString());
            assertFalse(waiting.isDone(), "the second was answered while the first still waited");
            assertBusy(queueFull);

            // Another service's connections are another pool.
            assertEquals(200, HTTP.send(get("/api/2.0/mlflow/experiments/get?experiment_id=0"),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            HttpResponse<String> waited = waiting.get(10, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - started;
            assertBusy(waited);
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(1900), "waited the 2 s of upstream-wait: " + elapsed);
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "and no longer: " + elapsed);
            assertEquals(before + 3, FakeServices.REQUESTS.get(), "only the tracking request reached a service");
        } finally {
            for (Trickle trickle : held) {
                trickle.close();
            }
        }
        // The uploads' connections are free again once their clients are gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status;
        do {
            Thread.sleep(50);
            status = HTTP.send(get(ARTIFACTS + "after.txt"), HttpResponse.BodyHandlers.ofString()).statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    private static void assertBusy(HttpResponse<String> answer) {
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null));
        assertEquals(new JsonObject().put("error_code", "TEMPORARILY_UNAVAILABLE").put("message",
                "artifact-service is busy: no connection to it within 2000 ms (quarkflow.gateway.upstream-wait); "
                        + "try again later."), new JsonObject(answer.body()));
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + FakeServices.EDIT_TOKEN).GET().build();
    }
}
