package io.quarkflow.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The gateway's settings; every one can be given as an environment variable (QUARKFLOW_GATEWAY_...). The services'
 * addresses are not here: each service's entry in {@link Route.Target} names its property and default
 * (quarkflow.gateway.tracking-url, quarkflow.gateway.artifact-url, ...).
 */
@ConfigMapping(prefix = "quarkflow.gateway")
public interface GatewayConfig {

    /** How long to wait for a new TCP connection to a service (within upstream-wait) before answering 503. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * A forwarded exchange that moves no byte for this long is cut (an upload or download may last hours). Also the
     * public port's quarkus.http.idle-timeout, so a client that stops reading a download is cut after as long.
     */
    @WithDefault("5m")
    Duration idleTimeout();

    /**
     * Connections kept to each service (the pool a request waits for). Every request in flight, a slow upload
     * included, holds one from its first byte forwarded to its last byte answered.
     */
    @WithDefault("128")
    int maxConnectionsPerService();

    /**
     * The longest a request waits for a connection to its service, the connection's own making included; then 503
     * TEMPORARILY_UNAVAILABLE (with Retry-After), instead of waiting as long as the requests ahead of it last.
     */
    @WithDefault("5s")
    Duration upstreamWait();

    /** Requests that may wait for a connection to one service at once; one more is answered 503 at once. */
    @WithDefault("256")
    int maxWaitingPerService();

    /**
     * Requests of one identity in flight at once, over all services (the authenticated name; the client's address
     * when authentication is off); one more is 429 REQUEST_LIMIT_EXCEEDED with Retry-After, which MLflow's Python
     * client waits out and retries. Unset: a quarter of max-connections-per-service (32), so no one identity can take
     * a service's every connection, yet a stock MLflow client (up to 20 artifact threads, 2 per CPU) is not
     * refused. A CI token shared by many jobs at once wants more, or one token per job.
     */
    OptionalInt maxRequestsPerIdentity();

    /**
     * The slowest upload kept, in bytes a second, judged over each min-rate-window: a request body that moves less
     * is cut (408 when the service has not answered yet; the service sees a broken body). A window in which the
     * service was the slow side (the gateway held the body back) is not judged. 0 turns the check off.
     */
    @WithDefault("512")
    MemorySize minUploadRate();

    /** How long an upload is watched before its rate is judged, and then each period judged again. */
    @WithDefault("30s")
    Duration minRateWindow();

    /**
     * The largest request body passed on, judged by its Content-Length before a byte of it is read (413 in MLflow's
     * JSON); a chunked body is held to the service's own limit. 5T is S3's largest object. Quarkus's own
     * quarkus.http.limits.max-body-size never applies here: the gateway's one route runs before Quarkus's check.
     */
    @WithDefault("5T")
    MemorySize maxBodySize();

    /** Host names (without port) this gateway answers to; any when unset. Guards against DNS rebinding. */
    Optional<List<String>> allowedHosts();

    Cors cors();

    Auth auth();

    Ui ui();

    /** The web UI at / ({@link WebUi}) and its sessions ({@link WebSessions}). */
    interface Ui {
        @WithDefault("true")
        boolean enabled();

        /**
         * Base64 of at least 32 random bytes signing the session cookies; every replica of the gateway needs the
         * same. Unset: a random key at each start, so sessions end when the gateway restarts.
         */
        Optional<String> sessionKey();

        /** How long a sign-in lasts. */
        @WithDefault("12h")
        Duration sessionTtl();
    }

    interface Cors {
        /** Origins (scheme://host[:port]) whose pages may call the API; none when unset. */
        Optional<List<String>> allowedOrigins();
    }

    interface Auth {
        /** Off only when set to false explicitly. */
        @WithDefault("true")
        boolean enabled();

        /** Lines {@code name:bcrypt-hash[:read|edit]}, as {@code htpasswd -nbB name password} writes them. */
        Optional<Path> usersFile();

        /** Lines {@code name:sha256-hex-of-token[:read|edit]}. */
        Optional<Path> tokensFile();

        /**
         * Base64 of at least 32 random bytes ({@code openssl rand -base64 32}), the same as the launcher's
         * quarkflow.launcher.run-token-key: bearer tokens {@code qfrun.<run id>.<mac>} made with it are accepted for
         * that one run (read everything, change only that run). Unset: no run token is accepted. A key that is set but
         * not base64 of 32 bytes or more stops the gateway from starting.
         */
        Optional<String> runTokenKey();

        /** How long a Basic credential that passed bcrypt is trusted without checking it again. */
        @WithDefault("5m")
        Duration verifiedCredentialTtl();

        Oidc oidc();
    }

    /**
     * Bearer JWTs from an OpenID Connect provider, verified by quarkus-oidc against the provider's keys; the provider
     * itself is configured with quarkus.oidc.* (QUARKUS_OIDC_AUTH_SERVER_URL, QUARKUS_OIDC_TOKEN_AUDIENCE, ...).
     */
    interface Oidc {
        /** Off unless set; when on, a bearer token that is not in the tokens file is verified as a JWT. */
        @WithDefault("false")
        boolean enabled();

        /** Holders of this role (from the token's groups claim, or quarkus.oidc.roles.role-claim-path) may change; everyone else with a valid token may read. */
        @WithDefault("quarkflow-edit")
        String editRole();
    }
}
