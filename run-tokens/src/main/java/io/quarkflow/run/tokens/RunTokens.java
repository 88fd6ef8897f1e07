package io.quarkflow.run.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Run-scoped bearer tokens: {@code qfrun.<run id>.<base64url(HMAC-SHA256(key, "quarkflow-run:" + run id))>}, without
 * padding. The launcher mints one for each run it starts; the gateway verifies it with the same key and lets its
 * holder read everything but change only that run. Stateless on purpose: nothing is stored or looked up, so the
 * gateway's replicas need only the key, and a token stops working when the key is replaced. A token has no expiry;
 * what limits it is its scope (one run) and the key's rotation.
 */
public final class RunTokens {

    /** What every run token starts with, so the gateway knows to verify it rather than look it up. */
    public static final String PREFIX = "qfrun.";
    /** HMAC-SHA256 wants a key at least as long as its output. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    /** Binds the MAC to this use of the key, should the same key ever sign anything else. */
    private static final String CONTEXT = "quarkflow-run:";
    /** Run ids as tracking-service makes them (uuid hex) and the launcher accepts; never a dot, the separator. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    /** 32 bytes of MAC in unpadded base64url. */
    private static final int MAC_CHARS = 43;

    private final SecretKeySpec key;

    private RunTokens(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * The key from its configured form: base64 of at least {@value #MIN_KEY_BYTES} random bytes, as
     * {@code openssl rand -base64 32} prints it (whitespace, such as a file's final newline or openssl's line breaks
     * of a longer key, ignored).
     *
     * @param setting the setting that held it, named in the message when the key is unusable
     * @throws IllegalArgumentException when the value is not base64 or too short
     */
    public static RunTokens fromBase64Key(String base64Key, String setting) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not base64; create a key with: openssl rand -base64 32");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(setting + " holds " + key.length + " bytes; it must be base64 of at "
                    + "least " + MIN_KEY_BYTES + " random bytes: openssl rand -base64 32");
        }
        return new RunTokens(key);
    }

    /** The token of this run. */
    public String mint(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("Not a run id: " + runId);
        }
        return PREFIX + runId + "." + mac(runId);
    }

    /** The run this token was minted for, or empty when it is malformed or was made with another key. */
    public Optional<String> verify(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        String runId = token.substring(PREFIX.length(), Math.max(dot, PREFIX.length()));
        String given = token.substring(dot + 1);
        if (!RUN_ID.matcher(runId).matches() || given.length() != MAC_CHARS) {
            return Optional.empty();
        }
        // Constant time: how much of a forged MAC matched must not show in how long the answer takes.
        boolean valid = MessageDigest.isEqual(mac(runId).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
        return valid ? Optional.of(runId) : Optional.empty();
    }

    /** Whether a bearer token is meant as a run token (verified or not). */
    public static boolean isRunToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    private String mac(String runId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and cheap to make
            mac.init(key);
            byte[] digest = mac.doFinal((CONTEXT + runId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has " + ALGORITHM, e);
        }
    }
}
