package io.quarkflow.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    private final ErrorMapper mapper = new ErrorMapper();

    @Test
    void aClientThatLeftMidUploadIsNoServerError() {
        Response response = mapper.unexpected(
                new UncheckedIOException(new IOException(new HttpClosedException("Connection was closed"))));
        assertEquals(400, response.getStatus());
        assertEquals(new ErrorResponse("BAD_REQUEST", "The client closed the connection"), response.getEntity());
    }

    @Test
    void anythingElseUnexpectedIsAnInternalErrorWithoutDetails() {
        Response response = mapper.unexpected(new IllegalStateException("secret detail"));
        assertEquals(500, response.getStatus());
        assertEquals(new ErrorResponse("INTERNAL_ERROR", "Internal error; see the service log"), response.getEntity());
    }
}
