package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An offset page token in MLflow's encoding, base64 of {"offset": N}; clients treat it as opaque. */
public final class PageToken {

    private static final Pattern OFFSET = Pattern.compile("^\\{\\s*\"offset\"\\s*:\\s*(\\d{1,18})\\s*}$");

    private PageToken() {
    }

    public static String encode(long offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    public static long decodeOffset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).trim();
            Matcher matcher = OFFSET.matcher(json);
            if (matcher.matches()) {
                return Long.parseLong(matcher.group(1));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw MlflowException.invalidParameter("Invalid page token, could not base64-decode or parse offset: " + token);
    }
}
