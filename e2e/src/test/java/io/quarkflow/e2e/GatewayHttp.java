package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Plain HTTP to a gateway, for what the MLflow Java client cannot do here (artifacts: it shells out to Python) or
 * hides (headers, raw error bodies). HTTP/1.1, as MLflow's clients speak.
 */
final class GatewayHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A hung exchange fails its test instead of the whole build; a 64 MB transfer takes seconds. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI gateway;
    /** The Authorization header's value, or null to send none. */
    private final String authorization;

    private GatewayHttp(URI gateway, String authorization) {
        this.gateway = gateway;
        this.authorization = authorization;
    }

    static GatewayHttp anonymous(URI gateway) {
        return new GatewayHttp(gateway, null);
    }

    static GatewayHttp basic(URI gateway, String user, String password) {
        return new GatewayHttp(gateway, basicAuthorization(user, password));
    }

    /** The Authorization header of HTTP Basic, as MLflow clients send MLFLOW_TRACKING_USERNAME/PASSWORD. */
    static String basicAuthorization(String user, String password) {
        String credentials = user + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    static GatewayHttp bearer(URI gateway, String token) {
        return new GatewayHttp(gateway, "Bearer " + token);
    }

    /** A request to {@code pathAndQuery} (starting with /), with this caller's credentials. */
    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + pathAndQuery)).timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return CLIENT.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) {
        return send(request(pathAndQuery).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> put(String pathAndQuery, byte[] body) {
        return send(request(pathAndQuery).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> delete(String pathAndQuery) {
        return send(request(pathAndQuery).DELETE());
    }

    HttpResponse<String> postJson(String pathAndQuery, String json) {
        return send(request(pathAndQuery)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** An artifact listing as sorted "path:size" for files and "path/" for directories. */
    static List<String> files(HttpResponse<String> listing) {
        assertEquals(200, listing.statusCode(), listing.body());
        return files(json(listing));
    }

    static List<String> files(JsonNode listing) {
        return StreamSupport.stream(listing.path("files").spliterator(), false)
                .map(file -> file.path("is_dir").asBoolean()
                        ? file.path("path").asText() + "/"
                        : file.path("path").asText() + ":" + file.path("file_size").asLong())
                .sorted()
                .toList();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
