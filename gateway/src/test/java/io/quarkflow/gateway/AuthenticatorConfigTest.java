package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway with authentication on refuses to start rather than run open or half-configured. */
class AuthenticatorConfigTest {

    private static final Vertx VERTX = Vertx.vertx();

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        VERTX.close();
    }

    @Test
    void authenticationOnWithNobodyConfiguredDoesNotStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Authenticator(VERTX, config(true, null, null), null));
        assertTrue(e.getMessage().contains("QUARKFLOW_GATEWAY_AUTH_ENABLED=false"), e.getMessage());
    }

    @Test
    void malformedLinesAreRejectedWithTheFileNamed() throws Exception {
        Path tokens = Files.write(dir.resolve("tokens"), List.of("ci:not-a-sha"));
        assertTrue(assertThrows(IllegalStateException.class, () -> new Authenticator(VERTX, config(true, null, tokens), null))
                .getMessage().contains("SHA-256"));
        Path noSecret = Files.write(dir.resolve("tokens2"), List.of("ci"));
        assertTrue(assertThrows(IllegalStateException.class, () -> new Authenticator(VERTX, config(true, null, noSecret), null))
                .getMessage().contains(noSecret.toString()));
        Path badPermission = Files.write(dir.resolve("tokens3"), List.of("ci:" + "a".repeat(64) + ":admin"));
        assertThrows(IllegalArgumentException.class, () -> new Authenticator(VERTX, config(true, null, badPermission), null));
        Path users = Files.write(dir.resolve("users"), List.of("alice:plaintext-password"));
        assertThrows(java.security.GeneralSecurityException.class, () -> new Authenticator(VERTX, config(true, users, null), null));
    }

    @Test
    void authenticationOffNeedsNoFiles() throws Exception {
        Authenticator off = new Authenticator(VERTX, config(false, null, null), null);
        assertEquals(Identity.ANONYMOUS, off.authenticate(null).toCompletionStage().toCompletableFuture().get());
    }

    @Test
    void aTokenIsKnownByItsHashAlone() throws Exception {
        Path tokens = Files.write(dir.resolve("tokens"), List.of(
                "# comment", "", "ci:" + Authenticator.sha256("s3cret").toUpperCase() + ":read"));
        Authenticator authenticator = new Authenticator(VERTX, config(true, null, tokens), null);
        assertEquals(new Identity("ci", Permission.READ),
                authenticator.authenticate("bearer s3cret").toCompletionStage().toCompletableFuture().get());
        assertTrue(authenticator.authenticate("Bearer s3cret2").failed());
    }

    private static GatewayConfig config(boolean enabled, Path users, Path tokens) {
        GatewayConfig.Auth auth = new GatewayConfig.Auth() {
            public boolean enabled() {
                return enabled;
            }

            public Optional<Path> usersFile() {
                return Optional.ofNullable(users);
            }

            public Optional<Path> tokensFile() {
                return Optional.ofNullable(tokens);
            }

            public Duration verifiedCredentialTtl() {
                return Duration.ofMinutes(5);
            }

            public GatewayConfig.Oidc oidc() {
                return new GatewayConfig.Oidc() {
                    public boolean enabled() {
                        return false;
                    }

                    public String editRole() {
                        return "quarkflow-edit";
                    }
                };
            }
        };
        return new GatewayConfig() {
            public Duration connectTimeout() {
                return Duration.ofSeconds(1);
            }

            public Duration idleTimeout() {
                return Duration.ofSeconds(1);
            }

            public Optional<List<String>> allowedHosts() {
                return Optional.empty();
            }

            public Cors cors() {
                return Optional::empty;
            }

            public Auth auth() {
                return auth;
            }
        };
    }
}
