package io.quarkflow.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's settings; every one can be given as an environment variable (QUARKFLOW_GATEWAY_...). The services'
 * addresses are not here: each service's entry in {@link Route.Target} names its property and default
 * (quarkflow.gateway.tracking-url, quarkflow.gateway.artifact-url, ...).
 */
@ConfigMapping(prefix = "quarkflow.gateway")
public interface GatewayConfig {

    /** How long to wait for a connection to a service before answering 503. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** A forwarded exchange that moves no byte for this long is cut (an upload or download may last hours). */
    @WithDefault("5m")
    Duration idleTimeout();

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
