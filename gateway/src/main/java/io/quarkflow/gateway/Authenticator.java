package io.quarkflow.gateway;

import io.quarkflow.run.tokens.RunTokens;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.enterprise.inject.Instance;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/**
 * Checks the credentials the MLflow clients send: HTTP Basic ({@code MLFLOW_TRACKING_USERNAME}/{@code PASSWORD})
 * against bcrypt hashes, and Bearer tokens ({@code MLFLOW_TRACKING_TOKEN}) against their SHA-256 or, when OIDC is
 * on, as the provider's JWTs; a run token ({@code qfrun.<run id>.<mac>}, minted by the launcher for one project
 * run) is verified with the shared key instead, and its holder is {@link Identity#ofRun} that run. Nothing is kept in
 * clear: the files hold hashes, and the cache of verified Basic credentials is keyed by a SHA-256 of them.
 */
@Singleton
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private static final int MAX_CACHED_CREDENTIALS = 10_000;
    private static final int BCRYPT_THREADS = 2;
    private static final String RUN_TOKEN_KEY =
            "quarkflow.gateway.auth.run-token-key (QUARKFLOW_GATEWAY_AUTH_RUN_TOKEN_KEY)";

    /** @param fingerprint a SHA-256 of the stored hash: a session made with the old password ends when it changes */
    private record User(Identity identity, Password hash, String fingerprint) {
    }

    /**
     * An identity and the credential it proved itself with, fingerprinted ({@code user:}, {@code token:},
     * {@code oidc:}, {@code run:}), as a web UI session keeps it and {@link #session} checks it again.
     */
    record SignedIn(Identity identity, String credential) {
    }

    private final Vertx vertx;
    /**
     * bcrypt runs here, a few threads of its own: a flood of wrong passwords queues up behind them instead of
     * taking every worker thread and core.
     */
    private final WorkerExecutor bcryptWorkers;
    private final boolean enabled;
    /** Verifies JWTs when OIDC is on; null otherwise. */
    private final TenantIdentityProvider oidc;
    private final String oidcEditRole;
    private final long verifiedTtlNanos;
    private final PasswordFactory bcrypt;
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Identity> tokensBySha256 = new HashMap<>();
    /** Verifies run tokens when a key is configured; empty otherwise, and then every run token is refused. */
    private final Optional<RunTokens> runTokens;
    /** SHA-256 of "user:password" that passed bcrypt, with when that stops being trusted (System.nanoTime). */
    private final Map<String, Long> verified = new ConcurrentHashMap<>();
    /** Compared against when the user is unknown, so the answer takes as long as for a known user. */
    private final Password decoy;

    Authenticator(Vertx vertx, GatewayConfig config, Instance<TenantIdentityProvider> oidc)
            throws IOException, GeneralSecurityException {
        this.vertx = vertx;
        this.bcryptWorkers = vertx.createSharedWorkerExecutor("gateway-bcrypt", BCRYPT_THREADS);
        this.enabled = config.auth().enabled();
        this.oidc = config.auth().oidc().enabled() ? oidc.get() : null;
        this.oidcEditRole = config.auth().oidc().editRole();
        this.verifiedTtlNanos = config.auth().verifiedCredentialTtl().toNanos();
        this.bcrypt = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT,
                WildFlyElytronPasswordProvider.getInstance());
        try {
            this.runTokens = config.auth().runTokenKey().map(key -> RunTokens.fromBase64Key(key, RUN_TOKEN_KEY));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!enabled) {
            this.decoy = null;
            LOG.warn("Authentication is DISABLED (quarkflow.gateway.auth.enabled=false): anyone who reaches this "
                    + "gateway can read and change everything");
            return;
        }
        this.decoy = parseBcrypt(BcryptUtil.bcryptHash(UUID.randomUUID().toString()));
        Optional<Path> usersFile = config.auth().usersFile();
        Optional<Path> tokensFile = config.auth().tokensFile();
        if (usersFile.isPresent()) {
            for (String[] line : lines(usersFile.get())) {
                users.put(line[0], new User(new Identity(line[0], permission(line)), parseBcrypt(line[1]),
                        sha256(line[1])));
            }
        }
        if (tokensFile.isPresent()) {
            for (String[] line : lines(tokensFile.get())) {
                String sha = line[1].toLowerCase(Locale.ROOT);
                if (!sha.matches("[0-9a-f]{64}")) {
                    throw new IllegalStateException("token " + line[0] + " in " + tokensFile.get()
                            + ": the second field must be the token's SHA-256 in hex");
                }
                tokensBySha256.put(sha, new Identity(line[0], permission(line)));
            }
        }
        if (users.isEmpty() && tokensBySha256.isEmpty() && this.oidc == null) {
            throw new IllegalStateException("Authentication is on but no user, token or OIDC provider is configured: "
                    + "set QUARKFLOW_GATEWAY_AUTH_USERS_FILE and/or QUARKFLOW_GATEWAY_AUTH_TOKENS_FILE (or "
                    + "QUARKFLOW_GATEWAY_AUTH_OIDC_ENABLED=true with QUARKUS_OIDC_AUTH_SERVER_URL), or turn "
                    + "authentication off explicitly with QUARKFLOW_GATEWAY_AUTH_ENABLED=false");
        }
        LOG.infof("Authentication on: %d user(s), %d token(s), run tokens %s, OIDC bearer JWTs %s", users.size(),
                tokensBySha256.size(), runTokens.isPresent() ? "on" : "off", this.oidc != null ? "on" : "off");
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The identity behind an Authorization header, or a failed future when there is none or it does not check out.
     * A Basic credential not seen recently is checked with bcrypt on a worker thread, never on the event loop.
     */
    public Future<Identity> authenticate(String authorization) {
        return check(authorization).map(SignedIn::identity);
    }

    /**
     * As {@link #authenticate}, for the web UI's sign-in, which keeps the credential's fingerprint in the session. A
     * run token cannot sign in: it belongs to a project's run, not to a person.
     */
    Future<SignedIn> signIn(String authorization) {
        return check(authorization).compose(signedIn -> signedIn.identity().run().isPresent()
                ? Future.failedFuture(new Rejected("A run's token cannot sign in to the web UI."))
                : Future.succeededFuture(signedIn));
    }

    /**
     * The identity a session stands for, when the credential it was made with still holds: the same user with the
     * same password hash, a token still in the tokens file, OIDC still on. Its permission is the credential's now.
     */
    Optional<Identity> session(SessionCookie.Claims claims) {
        String credential = claims.credential();
        int colon = credential.indexOf(':');
        String kind = colon < 0 ? "" : credential.substring(0, colon);
        String value = credential.substring(colon + 1);
        return switch (kind) {
            case "user" -> Optional.ofNullable(users.get(claims.name()))
                    .filter(user -> MessageDigest.isEqual(bytes(user.fingerprint()), bytes(value)))
                    .map(User::identity);
            case "token" -> Optional.ofNullable(tokensBySha256.get(value))
                    .filter(identity -> identity.name().equals(claims.name()));
            case "oidc" -> oidc == null ? Optional.empty()
                    : Optional.of(new Identity(claims.name(), Permission.valueOf(value)));
            default -> Optional.empty();
        };
    }

    private Future<SignedIn> check(String authorization) {
        if (!enabled) {
            return Future.succeededFuture(new SignedIn(Identity.ANONYMOUS, "anonymous:"));
        }
        if (authorization == null || authorization.isBlank()) {
            return Future.failedFuture(new Rejected("Authentication required: send HTTP Basic credentials "
                    + "(MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD) or a bearer token (MLFLOW_TRACKING_TOKEN)."));
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (RunTokens.isRunToken(value)) { // never looked up in the tokens file, never taken for a JWT
                return runTokens.flatMap(tokens -> tokens.verify(value))
                        .map(run -> Future.succeededFuture(new SignedIn(Identity.ofRun(run), "run:" + run)))
                        .orElseGet(() -> Future.failedFuture(new Rejected("The bearer token is not valid.")));
            }
            String sha = sha256(value);
            Identity identity = tokensBySha256.get(sha);
            if (identity != null) {
                return Future.succeededFuture(new SignedIn(identity, "token:" + sha));
            }
            if (oidc != null && value.chars().filter(c -> c == '.').count() == 2) {
                return jwt(value);
            }
            return Future.failedFuture(new Rejected("The bearer token is not valid."));
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(value);
        }
        // Never echoed: a token sent without its scheme would be the "scheme" here.
        return Future.failedFuture(new Rejected("Unsupported authorization scheme: send Basic credentials or a "
                + "Bearer token."));
    }

    /** Signature, issuer, expiry and audience are checked by quarkus-oidc against the provider's published keys. */
    private Future<SignedIn> jwt(String token) {
        return Future.fromCompletionStage(oidc.authenticate(new AccessTokenCredential(token)).subscribeAsCompletionStage(),
                        vertx.getOrCreateContext())
                .recover(cause -> Future.failedFuture(new Rejected("The bearer token is not valid.")))
                .map(this::fromOidc)
                .map(identity -> new SignedIn(identity, "oidc:" + identity.permission().name()));
    }

    private Identity fromOidc(SecurityIdentity identity) {
        Permission permission = identity.hasRole(oidcEditRole) ? Permission.EDIT : Permission.READ;
        return new Identity(identity.getPrincipal().getName(), permission);
    }

    private Future<SignedIn> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new Rejected("Malformed HTTP Basic credentials."));
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Future.failedFuture(new Rejected("Malformed HTTP Basic credentials."));
        }
        String name = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        User user = users.get(name);
        String key = sha256(decoded);
        Long trustedUntil = verified.get(key);
        if (user != null && trustedUntil != null && trustedUntil - System.nanoTime() > 0) {
            return Future.succeededFuture(new SignedIn(user.identity(), "user:" + user.fingerprint()));
        }
        return bcryptWorkers.executeBlocking(() -> {
            boolean matches = bcrypt.verify(user != null ? user.hash() : decoy, password.toCharArray());
            if (user == null || !matches) {
                throw new Rejected("Invalid username or password.");
            }
            if (verified.size() >= MAX_CACHED_CREDENTIALS) {
                verified.clear(); // crude bound; only costs one bcrypt per active credential
            }
            verified.put(key, System.nanoTime() + verifiedTtlNanos);
            return new SignedIn(user.identity(), "user:" + user.fingerprint());
        }, false);
    }

    private Password parseBcrypt(String hash) throws GeneralSecurityException {
        // $2b$ and $2y$ (OpenBSD, htpasswd) are the same algorithm as $2a$ for a correct implementation.
        String normalised = hash.matches("\\$2[by]\\$.*") ? "$2a$" + hash.substring(4) : hash;
        return bcrypt.translate(ModularCrypt.decode(normalised));
    }

    /** Lines {@code name:secret[:permission]}; blank lines and # comments skipped. */
    private static List<String[]> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> {
                    String[] fields = line.split(":", -1);
                    if (fields.length < 2 || fields.length > 3 || fields[0].isEmpty() || fields[1].isEmpty()) {
                        throw new IllegalStateException(file + ": expected name:hash[:read|edit], found a line with "
                                + fields.length + " field(s)");
                    }
                    return fields;
                })
                .toList();
    }

    private static Permission permission(String[] line) {
        return Permission.parse(line.length == 3 ? line[2] : "");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Credentials missing or wrong; the message is safe to show the client. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
