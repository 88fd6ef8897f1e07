package io.quarkflow.internal.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The secret that tells a service its caller belongs to the suite: the gateway sends it on every request it forwards,
 * and services send it to each other; a service refuses any request without it (mlflow-wire's guard). Only the
 * gateway's port faces users, so a local process or a web page that DNS-rebinds its name to 127.0.0.1 gets no further
 * than the gateway's authentication. The local suite generates one per start; on Kubernetes it comes from a Secret.
 */
public final class InternalKey {

    /** The request header that carries it. */
    public static final String HEADER = "X-Quarkflow-Internal-Key";
    /** The configuration property that holds it in every service and the gateway (QUARKFLOW_INTERNAL_KEY). */
    public static final String PROPERTY = "quarkflow.internal.key";
    /** As long as base64 of 24 random bytes: anything shorter is too easy to guess. */
    public static final int MIN_LENGTH = 32;

    private final String value;
    private final byte[] bytes;

    private InternalKey(String value) {
        this.value = value;
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The configured key, or empty when none is configured.
     *
     * @throws IllegalArgumentException when it is set but shorter than {@link #MIN_LENGTH} or not a plain header value
     */
    public static Optional<InternalKey> of(Optional<String> configured) {
        return configured.map(String::strip).filter(value -> !value.isEmpty()).map(InternalKey::of);
    }

    public static InternalKey of(String value) {
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(PROPERTY + " must be at least " + MIN_LENGTH
                    + " characters (openssl rand -base64 32)");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(PROPERTY + " must be printable ASCII without spaces");
        }
        return new InternalKey(value);
    }

    /** What to send in {@link #HEADER}. */
    public String value() {
        return value;
    }

    /** Whether a request's {@link #HEADER} holds this key; in constant time, so the answer leaks nothing of it. */
    public boolean isIn(String header) {
        return header != null && MessageDigest.isEqual(bytes, header.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "InternalKey[***]"; // a secret, never in a log line
    }
}
