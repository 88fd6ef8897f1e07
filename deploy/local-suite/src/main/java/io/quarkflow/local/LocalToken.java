package io.quarkflow.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The bearer token that makes a local suite secure without any setup: generated on the first start into
 * {@code <home>/token}, readable by its owner only, and registered in the gateway's tokens file by its SHA-256
 * (the gateway never sees the token itself at rest). Later starts reuse it, so an exported token keeps working.
 * Deleting the token file rotates it; other lines of the tokens file are the user's and are kept.
 *
 * @param tokenFile  holds the token, for {@code export MLFLOW_TRACKING_TOKEN=$(cat ...)}
 * @param tokensFile the gateway's {@code QUARKFLOW_GATEWAY_AUTH_TOKENS_FILE}
 */
record LocalToken(Path tokenFile, Path tokensFile) {

    /** The identity the gateway logs for requests made with this token. */
    private static final String NAME = "local";
    private static final int TOKEN_BYTES = 32;

    static LocalToken createOrReuse(Path home) throws IOException {
        Files.createDirectories(home);
        LocalToken local = new LocalToken(home.resolve("token"), home.resolve("gateway-tokens"));
        if (!Files.exists(local.tokenFile)) {
            OwnerOnlyFiles.create(local.tokenFile, List.of(newToken()));
        }
        OwnerOnlyFiles.restrict(local.tokenFile);
        String token = Files.readString(local.tokenFile, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IllegalStateException(local.tokenFile + " is empty; delete it to generate a new token");
        }
        local.register(token);
        return local;
    }

    /** Makes the tokens file name this token as {@code local}, replacing the line of an earlier token. */
    private void register(String token) throws IOException {
        List<String> current = Files.exists(tokensFile)
                ? Files.readAllLines(tokensFile, StandardCharsets.UTF_8)
                : List.of("# name:sha256-hex-of-token[:read|edit], one per line; the line '" + NAME
                        + "' is rewritten from ./token on every start");
        List<String> updated = new ArrayList<>();
        for (String line : current) {
            if (!line.startsWith(NAME + ":")) {
                updated.add(line);
            }
        }
        updated.add(NAME + ":" + sha256Hex(token) + ":edit");
        if (!Files.exists(tokensFile) || !updated.equals(current)) {
            Files.deleteIfExists(tokensFile);
            OwnerOnlyFiles.create(tokensFile, updated);
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256Hex(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
