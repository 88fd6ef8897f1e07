package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most quarkflow.gateway.max-requests-per-identity requests of one identity in flight at once. Each holds a
 * connection to a service while it lasts, so without this one client (64 uploads trickling a byte every few seconds)
 * could take every connection and stall everybody else's requests (issue 17). Counted per authenticated name; with
 * authentication off every request is "anonymous", so per client address instead (X-Forwarded-For is not believed).
 */
@Singleton
class IdentityLimits {

    /**
     * Seconds a refused client is told to wait. MLflow's Python client sleeps what Retry-After says instead of its
     * own backoff, for each of its 5 to 7 retries: long enough that they are not spent while one upload lasts, short
     * enough for a person at a prompt.
     */
    static final String RETRY_AFTER_SECONDS = "5";

    /** Requests in flight by key; a key leaves the map when its last request ends, so idle clients cost nothing. */
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final int max;
    private final boolean byAddress;

    IdentityLimits(GatewayConfig config) {
        this.max = config.maxRequestsPerIdentity().orElse(Math.max(1, config.maxConnectionsPerService() / 4));
        this.byAddress = !config.auth().enabled();
    }

    /** One request's place in its identity's count; giving it back twice counts once. */
    static final class Slot {

        /** Held by a request that never took one (refused before it was routed). */
        static final Slot NONE = new Slot(null, null);

        private final IdentityLimits limits;
        private final String key;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(IdentityLimits limits, String key) {
            this.limits = limits;
            this.key = key;
        }

        void release() {
            if (limits != null && held.compareAndSet(true, false)) {
                limits.inFlight.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
            }
        }
    }

    /**
     * A slot for this request's identity, to be released when its exchange ends; or, at the identity's limit, none,
     * and the request is answered 429 REQUEST_LIMIT_EXCEEDED with Retry-After.
     */
    Optional<Slot> admit(HttpServerRequest request, Identity identity) {
        String key = byAddress ? "address " + address(request) : identity.name();
        boolean[] taken = {false};
        inFlight.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (taken[0]) {
            return Optional.of(new Slot(this, key));
        }
        request.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        String who = byAddress ? "client " + address(request) : identity.name();
        LocalAnswer.error(request, ErrorCode.REQUEST_LIMIT_EXCEEDED, "Too many requests in flight for " + who
                + ": at most " + max + " at once (quarkflow.gateway.max-requests-per-identity). Try again later.");
        return Optional.empty();
    }

    private static String address(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
