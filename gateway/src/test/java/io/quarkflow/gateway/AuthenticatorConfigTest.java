package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkflow.run.tokens.RunTokens;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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

    @Test
    void aRunTokenKeyThatIsSetMustBeBase64OfAtLeast32Bytes() throws Exception {
        Path tokens = Files.write(dir.resolve("tokens"), List.of("ci:" + Authenticator.sha256("s3cret")));
        for (String bad : List.of("short", Base64.getEncoder().encodeToString(new byte[16]), "not base64!")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new Authenticator(VERTX, config(true, null, tokens, bad), null));
            assertTrue(e.getMessage().contains("QUARKFLOW_GATEWAY_AUTH_RUN_TOKEN_KEY"), e.getMessage());
            assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
        }
    }

    @Test
    void aRunTokenIsVerifiedWithTheKeyAndRefusedWithoutOne() throws Exception {
        Path tokens = Files.write(dir.resolve("tokens"), List.of("ci:" + Authenticator.sha256("s3cret")));
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        String token = RunTokens.fromBase64Key(key, "key").mint("r1");
        Authenticator withKey = new Authenticator(VERTX, config(true, null, tokens, key), null);
        assertEquals(Identity.ofRun("r1"),
                withKey.authenticate("Bearer " + token).toCompletionStage().toCompletableFuture().get());
        assertEquals("run:r1", Identity.ofRun("r1").name());
        Authenticator withoutKey = new Authenticator(VERTX, config(true, null, tokens, null), null);
        assertTrue(withoutKey.authenticate("Bearer " + token).failed());
    }

    @Test
    void aRunTokenIsNeverLookedUpInTheTokensFile() throws Exception {
        // Even a tokens-file line for exactly this string does not make it valid: run tokens are verified by key only.
        String forged = "qfrun.r1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        Path tokens = Files.write(dir.resolve("tokens"), List.of("ci:" + Authenticator.sha256(forged)));
        Authenticator authenticator = new Authenticator(VERTX, config(true, null, tokens, null), null);
        assertTrue(authenticator.authenticate("Bearer " + forged).failed());
    }

    private static GatewayConfig config(boolean enabled, Path users, Path tokens) {
        return config(enabled, users, tokens, null);
    }

    private static GatewayConfig config(boolean enabled, Path users, Path tokens, String runTokenKey) {
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

            public Optional<String> runTokenKey() {
                return Optional.ofNullable(runTokenKey);
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

            public int maxConnectionsPerService() {
                return 1;
            }

            public Duration upstreamWait() {
                return Duration.ofSeconds(1);
            }

            public int maxWaitingPerService() {
                return 1;
            }

            public OptionalInt maxRequestsPerIdentity() {
                return OptionalInt.empty();
            }

            public MemorySize minUploadRate() {
                return new MemorySize(BigInteger.ONE);
            }

            public Duration minRateWindow() {
                return Duration.ofSeconds(1);
            }

            public GatewayConfig.Ui ui() {
                return null; // the authenticator never reads it
            }

            public MemorySize maxBodySize() {
                return new MemorySize(BigInteger.ONE);
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
