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

    /**
     * The announced length in bytes, -1 when there is none (chunked, or no body). A long: artifacts are often larger
     * than 2 GiB. Netty has already refused every request whose Content-Length is not one number within a long (a bare
     * 400 before any handler runs) and set the header to that number in digits alone.
     */
    static long length(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length == null ? -1 : Long.parseLong(length.strip());
    }
}
