package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Answers the gateway gives itself, without a service: MLflow's error body, /health's "OK", a CORS preflight. */
final class LocalAnswer {

    private LocalAnswer() {
    }

    /** MLflow's error body, {"error_code": ..., "message": ...}, with the code's HTTP status. */
    static void error(HttpServerRequest request, ErrorCode code, String message) {
        error(request, code.httpStatus(), code, message);
    }

    /** MLflow's error body with another status than the code's own (413 for a body too large to check). */
    static void error(HttpServerRequest request, int status, ErrorCode code, String message) {
        String body = new JsonObject().put("error_code", code.name()).put("message", message).encode();
        HttpServerResponse response = request.response();
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        send(request, body);
    }

    /**
     * Ends a response the gateway wrote itself. A body the client is still sending was never read (or only partly,
     * for a run's write): the connection is closed after the answer instead of reading (say) a gigabyte for nothing.
     */
    static void send(HttpServerRequest request, String body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        boolean unreadBody = !request.isEnded() && RequestBody.announced(request);
        if (unreadBody) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        } else {
            request.resume(); // let the request's end arrive so the connection can be reused
        }
        response.end(body).onComplete(done -> {
            if (unreadBody) {
                request.connection().close();
            }
        });
    }
}
