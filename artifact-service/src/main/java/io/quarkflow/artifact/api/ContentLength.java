package io.quarkflow.artifact.api;

import jakarta.ws.rs.core.HttpHeaders;

/** A request's Content-Length, 64 bits wide: JAX-RS's {@code HttpHeaders.getLength()} is an int, failing past 2 GiB. */
final class ContentLength {

    private ContentLength() {
    }

    /** -1 when the body is chunked. Netty has refused every value but one number that fits a long (a bare 400). */
    static long of(HttpHeaders headers) {
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return length == null ? -1 : Long.parseLong(length);
    }
}
