package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Answers a request from the gateway itself, in MLflow's error body: {"error_code": ..., "message": ...}. */
final class Errors {

    private Errors() {
    }

    static void send(HttpServerRequest request, ErrorCode code, String message) {
        String body = new JsonObject().put("error_code", code.name()).put("message", message).encode();
        HttpServerResponse response = request.response();
        response.setStatusCode(code.httpStatus()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        answerLocally(request, body);
    }

    /**
     * Ends a response the gateway wrote itself. A body the client is still sending was never read: the connection
     * is closed after the answer instead of reading (say) a gigabyte for nothing.
     */
    static void answerLocally(HttpServerRequest request, String body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        boolean unreadBody = hasBody(request);
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

    /** Whether the request announces a body (HTTP/1.1: a non-zero Content-Length or chunked transfer coding). */
    static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }
}
