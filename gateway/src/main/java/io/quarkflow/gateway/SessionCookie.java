package io.quarkflow.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The web UI's session: a cookie the gateway signs (HMAC-SHA256) that says who signed in, with which credential and
 * until when. Nothing is kept on the server, so any gateway replica with the same key accepts it; the credential's
 * fingerprint is checked again on every request ({@link Authenticator#session}), so a changed password or a removed
 * token ends the sessions made with it. The cookie is HttpOnly and SameSite=Strict: no script and no other site
 * sends or reads it.
 */
final class SessionCookie {

    static final String NAME = "quarkflow_session";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    /**
     * @param credential what signed in, as {@link Authenticator} fingerprints it ({@code user:...}, {@code token:...})
     * @param expiresAt  epoch seconds
     */
    record Claims(String name, String credential, long expiresAt) {
    }

    private final SecretKeySpec key;

    SessionCookie(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a session key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** A key of its own, for a gateway that was given none: its sessions end when it stops. */
    static SessionCookie withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SessionCookie(key);
    }

    String mint(Claims claims) {
        String payload = B64.encodeToString(utf8(claims.name())) + "." + B64.encodeToString(utf8(claims.credential()))
                + "." + claims.expiresAt();
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** The claims of a cookie value this key signed and that has not expired at {@code now} (epoch seconds). */
    Optional<Claims> read(String value, long now) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            String payload = parts[0] + "." + parts[1] + "." + parts[2];
            if (!MessageDigest.isEqual(mac(payload), UNB64.decode(parts[3]))) {
                return Optional.empty();
            }
            long expiresAt = Long.parseLong(parts[2]);
            if (expiresAt <= now) {
                return Optional.empty();
            }
            return Optional.of(new Claims(new String(UNB64.decode(parts[0]), StandardCharsets.UTF_8),
                    new String(UNB64.decode(parts[1]), StandardCharsets.UTF_8), expiresAt));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The session cookie's value in a request's Cookie headers, if it has one. */
    static Optional<String> of(HttpServerRequest request) {
        for (String header : request.headers().getAll(HttpHeaders.COOKIE)) {
            for (String pair : header.split(";")) {
                String trimmed = pair.strip();
                if (trimmed.startsWith(NAME + "=")) {
                    return Optional.of(trimmed.substring(NAME.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    /** The Set-Cookie value that stores {@code value} for {@code maxAgeSeconds} (0 deletes the cookie). */
    static String header(String value, long maxAgeSeconds, boolean secure) {
        return NAME + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secure ? "; Secure" : "");
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(utf8(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
