package io.quarkflow.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The key with which the launcher mints each project run its own token and the gateway verifies it
 * ({@code QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY}, {@code QUARKFLOW_GATEWAY_AUTH_RUN_TOKEN_KEY}): generated on the first
 * start into {@code <home>/run-token-key}, readable by its owner only, and reused later, so the tokens of runs still going
 * keep working across a restart. Deleting the file rotates it. The runs never see the local token, which may change
 * everything; theirs may change only their own run.
 *
 * @param value base64 of 32 random bytes, as {@code openssl rand -base64 32} prints a key
 */
record LocalRunTokenKey(String value) {

    private static final int KEY_BYTES = 32;

    static LocalRunTokenKey createOrReuse(Path home) throws IOException {
        Files.createDirectories(home);
        Path file = home.resolve("run-token-key");
        if (!Files.exists(file)) {
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            OwnerOnlyFiles.create(file, List.of(Base64.getEncoder().encodeToString(key)));
        }
        OwnerOnlyFiles.restrict(file);
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.isEmpty()) {
            throw new IllegalStateException(file + " is empty; delete it to generate a new key");
        }
        return new LocalRunTokenKey(key);
    }

    @Override
    public String toString() {
        return "LocalRunTokenKey[value=***]"; // a secret, never in a log line
    }
}
