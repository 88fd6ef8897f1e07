package io.quarkflow.e2e;

import io.quarkus.elytron.security.common.BcryptUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Who may call the authenticating gateway: the users file (bcrypt hashes) and tokens file (SHA-256 of each token)
 * it reads, and the secrets the tests send. Each file has one identity with the default permission (edit). The
 * project runs log with tokens of their own, minted by the launcher with {@link #RUN_TOKEN_KEY}.
 */
final class GatewayIdentities {

    static final String EDITOR = "alice";
    static final String EDITOR_PASSWORD = "alice-e2e-password";
    static final String READER = "bob";
    static final String READER_PASSWORD = "bob-e2e-password";
    static final String EDITOR_TOKEN = "qf-e2e-ci-token-7d1f0c";
    static final String READER_TOKEN = "qf-e2e-dashboard-token-93ab42";
    /** The key the launcher mints run tokens with and the authenticating gateway verifies them with (32 bytes). */
    static final String RUN_TOKEN_KEY = Base64.getEncoder()
            .encodeToString("quarkflow-e2e-run-token-key-32by".getBytes(StandardCharsets.US_ASCII));

    private GatewayIdentities() {
    }

    /** Writes both files into {@code directory}; returns the gateway's environment that names them. */
    static Map<String, String> writeFiles(Path directory) throws IOException {
        Path users = directory.resolve("gateway-users");
        Files.writeString(users, String.join("\n",
                "# written by the end-to-end suite; comments and blank lines are ignored",
                "",
                EDITOR + ":" + BcryptUtil.bcryptHash(EDITOR_PASSWORD),
                READER + ":" + BcryptUtil.bcryptHash(READER_PASSWORD) + ":read",
                ""), StandardCharsets.UTF_8);
        Path tokens = directory.resolve("gateway-tokens");
        Files.writeString(tokens, String.join("\n",
                "# name:sha256-hex-of-token[:read|edit]",
                "ci:" + sha256Hex(EDITOR_TOKEN),
                "dashboard:" + sha256Hex(READER_TOKEN) + ":read",
                ""), StandardCharsets.UTF_8);
        return Map.of(
                "QUARKFLOW_GATEWAY_AUTH_USERS_FILE", users.toString(),
                "QUARKFLOW_GATEWAY_AUTH_TOKENS_FILE", tokens.toString());
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
