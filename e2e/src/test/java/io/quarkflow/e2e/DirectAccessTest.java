package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No way around the gateway (issue 17, finding 1): each service answers only requests that carry the suite's internal
 * key and name one of its own hosts. Before, any local process, or a web page that DNS-rebinds its name to 127.0.0.1,
 * could read everything, create experiments and write, read and delete artifacts on the services' own ports. Requests
 * are written by hand on a socket, so that the Host header is exactly what an attacker would send.
 */
@EndToEnd
class DirectAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "X-Quarkflow-Internal-Key";
    /** A read route of each service, and what it answers once the key is there. */
    private static final Map<String, String> READS = new LinkedHashMap<>();

    static {
        READS.put("tracking-service", "/api/2.0/mlflow/experiments/search?max_results=5");
        READS.put("artifact-service", "/api/2.0/mlflow-artifacts/artifacts?path=");
        READS.put("projects-service", "/api/2.0/quarkflow/workflows/list");
        READS.put("launcher", "/api/2.0/quarkflow/launcher/runs/logs?run_id=0123456789abcdef0123456789abcdef");
    }

    private final QuarkflowSuite suite;
    private final GatewayHttp editor;

    DirectAccessTest(QuarkflowSuite suite) {
        this.suite = suite;
        this.editor = GatewayHttp.basic(suite.gateway(), GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD);
    }

    @Test
    void everyServiceRefusesARequestWithoutTheSuitesKey() throws IOException {
        for (Map.Entry<String, String> read : READS.entrySet()) {
            URI service = suite.direct(read.getKey());
            String host = "127.0.0.1:" + service.getPort();
            Answer without = Answer.of(service, "GET", read.getValue(), host, Map.of(), null);
            assertRefused(without, 401, "UNAUTHENTICATED", read.getKey());
            assertTrue(without.json().get("message").asText().contains("gateway"), without.body());
            String guess = QuarkflowSuite.INTERNAL_KEY.substring(0, QuarkflowSuite.INTERNAL_KEY.length() - 1) + "0";
            assertRefused(Answer.of(service, "GET", read.getValue(), host, Map.of(HEADER, guess), null),
                    401, "UNAUTHENTICATED", read.getKey());
            assertRefused(Answer.of(service, "GET", read.getValue(), host,
                    Map.of("Authorization", "Bearer " + GatewayIdentities.EDITOR_TOKEN), null),
                    401, "UNAUTHENTICATED", read.getKey());

            // The key, and only the key, is what lets the gateway through.
            Answer with = Answer.of(service, "GET", read.getValue(), host,
                    Map.of(HEADER, QuarkflowSuite.INTERNAL_KEY), null);
            assertTrue(with.status() != 401 && with.status() != 403, read.getKey() + ": " + with);
        }
    }

    @Test
    void aForeignHostIsRefusedEvenWithTheKey() throws IOException {
        for (Map.Entry<String, String> read : READS.entrySet()) {
            URI service = suite.direct(read.getKey());
            for (String host : List.of("evil.example", "evil.example:" + service.getPort(), "127.0.0.1.nip.io",
                    "localhost.evil.example", read.getKey() + ".evil.example")) {
                assertRefused(Answer.of(service, "GET", read.getValue(), host,
                        Map.of(HEADER, QuarkflowSuite.INTERNAL_KEY), null), 403, "PERMISSION_DENIED", host);
                assertRefused(Answer.of(service, "GET", read.getValue(), host, Map.of(), null),
                        403, "PERMISSION_DENIED", host);
            }
            Answer local = Answer.of(service, "GET", read.getValue(), "localhost:" + service.getPort(),
                    Map.of(HEADER, QuarkflowSuite.INTERNAL_KEY), null);
            assertTrue(local.status() != 401 && local.status() != 403, read.getKey() + ": " + local);
        }
    }

    @Test
    void writesWithoutTheKeyChangeNothing() throws IOException {
        URI tracking = suite.direct("tracking-service");
        String name = uniqueName("e2e-bypass");
        assertRefused(Answer.of(tracking, "POST", "/api/2.0/mlflow/experiments/create",
                "127.0.0.1:" + tracking.getPort(), Map.of("Content-Type", "application/json"),
                "{\"name\": \"" + name + "\"}"), 401, "UNAUTHENTICATED", "experiments/create");
        assertEquals(404, editor.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + name).statusCode());

        URI artifacts = suite.direct("artifact-service");
        String path = "/api/2.0/mlflow-artifacts/artifacts/" + name + "/model.txt";
        byte[] original = "the real model".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, editor.put(path, original).statusCode());
        String host = "127.0.0.1:" + artifacts.getPort();
        assertRefused(Answer.of(artifacts, "PUT", path, host, Map.of("Content-Type", "application/octet-stream"),
                "replaced by a local process"), 401, "UNAUTHENTICATED", "PUT artifact");
        assertRefused(Answer.of(artifacts, "DELETE", path, host, Map.of(), null), 401, "UNAUTHENTICATED",
                "DELETE artifact");
        assertRefused(Answer.of(artifacts, "PUT", path + ".new", host,
                Map.of("Content-Type", "application/octet-stream"), "planted"), 401, "UNAUTHENTICATED", "PUT new");
        HttpResponse<byte[]> kept = editor.send(editor.request(path).GET(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, kept.statusCode());
        assertArrayEquals(original, kept.body());
        assertEquals(404, editor.get(path + ".new").statusCode());

        URI projects = suite.direct("projects-service");
        assertRefused(Answer.of(projects, "POST", "/api/2.0/quarkflow/projects/runs/submit",
                "127.0.0.1:" + projects.getPort(), Map.of("Content-Type", "application/json"),
                "{\"uri\": \"/tmp\", \"experiment_id\": \"0\"}"), 401, "UNAUTHENTICATED", "projects submit");
    }

    @Test
    void healthProbesAnswerWithoutTheKey() throws IOException {
        URI tracking = suite.direct("tracking-service");
        assertEquals(200, Answer.of(tracking, "GET", "/health", "127.0.0.1:" + tracking.getPort(), Map.of(), null)
                .status());
        for (String name : List.of("artifact-service", "projects-service", "launcher")) {
            URI service = suite.direct(name);
            assertEquals(200, Answer.of(service, "GET", "/q/health/ready", "127.0.0.1:" + service.getPort(),
                    Map.of(), null).status(), name);
        }
    }

    private static void assertRefused(Answer answer, int status, String errorCode, String what) {
        assertEquals(status, answer.status(), what + ": " + answer);
        assertEquals(errorCode, answer.json().get("error_code").asText(), what + ": " + answer);
        assertTrue(!answer.body().contains(QuarkflowSuite.INTERNAL_KEY), what + " echoed the key");
    }

    /** One exchange on its own connection: the status and body as the service sent them. */
    private record Answer(int status, String body) {

        static Answer of(URI service, String method, String path, String host, Map<String, String> headers,
                         String body) throws IOException {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            try (Socket socket = new Socket(service.getHost(), service.getPort())) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
                String answer = readAll(socket.getInputStream());
                int status = Integer.parseInt(answer.substring(9, 12));
                int bodyStart = answer.indexOf("\r\n\r\n");
                return new Answer(status, bodyStart < 0 ? "" : answer.substring(bodyStart + 4));
            }
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + this, e);
            }
        }

        private static String readAll(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
