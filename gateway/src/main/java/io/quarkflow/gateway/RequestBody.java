package io.quarkflow.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** What a request's headers say about its body, before any of it is read. */
final class RequestBody {

    private RequestBody() {
    }

    /** Whether the request announces a body (HTTP/1.1: a non-zero Content-Length or a Transfer-Encoding). */
    static boolean announced(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }
}
