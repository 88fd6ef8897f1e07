package io.quarkflow.gateway;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Cuts an exchange on the client's side, so that it sees a broken transfer, never a short one that looks complete.
 * On HTTP/1.x that means closing the connection. HttpServerResponse.reset does the same there, but marks the response
 * closed first, and Vert.x then never runs the response's end handler, which the access log line and the return of
 * the identity's place ({@link IdentityLimits}) depend on; closing the connection runs it, as a client's leaving does.
 */
final class BrokenAnswer {

    private BrokenAnswer() {
    }

    static void cut(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset(); // a stream of its own, whose end handler runs
        } else {
            request.connection().close();
        }
    }
}
