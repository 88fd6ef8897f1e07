package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An upload slower than quarkflow.gateway.min-upload-rate is cut (408, and a broken body at the service), while one
 * held back by a slow service is not; and a cut upload gives its client's place back. Windows of one second keep it
 * quick; authentication is off, so the limit of two requests in flight is per client address.
 */
@QuarkusTest
@TestProfile(UploadRateTest.ShortWindows.class)
class UploadRateTest {

    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkflow.gateway.auth.enabled", "false",
                    "quarkflow.gateway.min-upload-rate", "1K",
                    "quarkflow.gateway.min-rate-window", "1s",
                    "quarkflow.gateway.max-requests-per-identity", "2");
        }
    }

    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/1/r/";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void aTrickleBelowTheRateIsCutAnd408AndTheServiceSeesABrokenBody() throws Exception {
        String path = ARTIFACTS + "trickle.bin";
        long started = System.nanoTime();
        try (Trickle trickle = Trickle.start(gateway, path, null, 100_000)) {
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) { // a byte every 100 ms: 10 bytes a second, far below 1 KiB
                        Thread.sleep(100);
                        trickle.send(1);
                    }
                } catch (IOException | InterruptedException cut) {
                    // the gateway closed the connection: what this test waits for
                }
            });
            sender.start();
            Trickle.Answer answer = trickle.answer();
            long elapsed = System.nanoTime() - started;
            assertEquals(408, answer.status(), answer.toString());
            assertEquals("application/json", answer.headers().get("content-type"));
            assertEquals("close", answer.headers().get("connection"));
            assertEquals(new JsonObject().put("error_code", "BAD_REQUEST").put("message", "The request body came "
                    + "slower than 1024 bytes a second (quarkflow.gateway.min-upload-rate); it was cut. "
                    + "Send it again."), answer.json());
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(900), "judged only after a whole window: " + elapsed);
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "cut within a window or two: " + elapsed);
            assertTrue(trickle.closedByGateway());
            sender.interrupt();
        }
        awaitBody(path, "broken");
    }

    @Test
    void aServiceThatReadsSlowlyIsNotBlamedOnTheClient() throws Exception {
        // 64 MiB is far more than the sockets and the gateway's write queue hold: the upload waits for the service,
        // which reads nothing for 3 s (three windows), and the client is not cut for it.
        String path = ARTIFACTS + "big/read-later";
        long started = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64 << 20])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(64 << 20, new JsonObject(answer.body()).getLong("length"));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(FakeServices.READ_LATER_MS));
        assertEquals("complete", FakeServices.BODIES.get(path));
    }

    @Test
    void anUploadAboveTheRateIsKept() throws Exception {
        String path = ARTIFACTS + "steady.bin";
        int pieces = 15; // 4 KiB every 200 ms for 3 s: 20 KiB a second
        try (Trickle trickle = Trickle.start(gateway, path, null, 1 + pieces * 4096L)) {
            for (int i = 0; i < pieces; i++) {
                Thread.sleep(200);
                trickle.send(4096);
            }
            Trickle.Answer answer = trickle.answer();
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(1 + pieces * 4096L, answer.json().getLong("length"));
        }
        assertEquals("complete", FakeServices.BODIES.get(path));
    }

    @Test
    void aCutUploadGivesItsClientsPlaceBack() throws Exception {
        for (int round = 0; round < 2; round++) {
            int before = FakeServices.REQUESTS.get();
            Trickle first = Trickle.start(gateway, ARTIFACTS + "stalled-a" + round, null, 1000);
            Trickle second = Trickle.start(gateway, ARTIFACTS + "stalled-b" + round, null, 1000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (FakeServices.REQUESTS.get() < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Two in flight from this address (authentication is off): a third is refused.
            try (Trickle third = Trickle.start(gateway, ARTIFACTS + "third" + round, null, 1000)) {
                Trickle.Answer refused = third.answer();
                assertEquals(429, refused.status());
                assertEquals("5", refused.headers().get("retry-after"));
                assertEquals("REQUEST_LIMIT_EXCEEDED", refused.json().getString("error_code"));
                assertTrue(refused.json().getString("message").startsWith("Too many requests in flight for client "),
                        refused.body());
            }
            // Both stall (nothing after their first byte) and are cut; the next round finds their places free.
            assertEquals(408, first.answer().status());
            assertEquals(408, second.answer().status());
            first.close();
            second.close();
            awaitBody(ARTIFACTS + "stalled-a" + round, "broken");
            awaitBody(ARTIFACTS + "stalled-b" + round, "broken");
        }
    }

    private static void awaitBody(String path, String outcome) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (FakeServices.BODIES.get(path) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(outcome, FakeServices.BODIES.get(path), path);
    }
}
