package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Requests the HTTP framework would refuse or fail on before the gateway's route (issue 17, finding 7: `run_id=%zz`
 * and a bad Host were not MLflow's JSON): each is MLflow's error body, and none reaches a service. Written by hand on
 * a socket, since no HTTP client sends them.
 */
@QuarkusTest
class MalformedRequestsTest {

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void aTargetThatIsNotAUriIsABadRequestInMlflowsJson() throws IOException {
        for (String target : new String[] {"/api/2.0/mlflow/runs/get?run_id=%zz", "/api/2.0/mlflow-artifacts/artifacts/a%zzb",
                "/api/2.0/mlflow/runs/get?run_id=%", "/api/2.0/mlflow/runs/get?run_id=a|b", "/api/2.0/mlflow/runs/get?x=%e"}) {
            String[] answer = exchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + FakeServices.EDIT_TOKEN + "\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 400 Bad Request", answer[0], target);
            JsonObject error = new JsonObject(answer[1]);
            assertEquals("BAD_REQUEST", error.getString("error_code"), target);
            assertTrue(error.getString("message").contains("not a valid URI"), answer[1]);
        }
    }

    @Test
    void aMissingOrMalformedHostIsABadRequestInMlflowsJson() throws IOException {
        for (String host : new String[] {"", "Host: [::1\r\n", "Host: a b\r\n"}) {
            String[] answer = exchange("GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\n" + host
                    + "Authorization: Bearer " + FakeServices.EDIT_TOKEN + "\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 400 Bad Request", answer[0], host);
            JsonObject error = new JsonObject(answer[1]);
            assertEquals("BAD_REQUEST", error.getString("error_code"), host);
            assertTrue(error.getString("message").contains("'Host' header is required"), answer[1]);
        }
    }

    @Test
    void aWellFormedRequestStillPasses() throws IOException {
        String[] answer = exchange("GET /api/2.0/mlflow/runs/get?run_id=%41b HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + FakeServices.EDIT_TOKEN + "\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", answer[0]);
        assertEquals("/api/2.0/mlflow/runs/get?run_id=%41b", new JsonObject(answer[1]).getString("uri"));
    }

    /** The status line and the body (not chunked: the gateway's own answers have a Content-Length). */
    private String[] exchange(String request) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            return new String[] {text.substring(0, text.indexOf("\r\n")), text.substring(headEnd + 4)};
        }
    }
}
