package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one page-token codec; clients treat tokens as opaque. Two kinds: MLflow's offset token (base64 of
 * {"offset": N}, what experiments/search pages by, as MLflow's server does), and keyset tokens, which carry the
 * last row's sort-key values so that rows written between pages shift nothing. A keyset token is bound to the
 * request that issued it: a fingerprint of that request's parameters travels in it and must match.
 */
public final class PageToken {

    private static final Pattern OFFSET = Pattern.compile("^\\{\\s*\"offset\"\\s*:\\s*(\\d{1,18})\\s*}$");
    private static final Pattern KEYSET_CHARACTERS = Pattern.compile("[A-Za-z0-9_.-]*");
    private static final Base64.Encoder FIELD_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder FIELD_DECODER = Base64.getUrlDecoder();

    private PageToken() {
    }

    public static String encode(long offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** @return the offset, 0 when there is no token */
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

    /** A keyset token: each value (and the fingerprint first) base64url-encoded, joined by dots. */
    public static String encodeKeys(String fingerprint, List<String> values) {
        StringBuilder token = new StringBuilder(field(fingerprint));
        values.forEach(value -> token.append('.').append(field(value)));
        return token.toString();
    }

    /** @return the sort-key values of a keyset token issued with this fingerprint, or null when there is no token */
    public static List<String> decodeKeys(String token, String fingerprint, int count) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        String[] fields = token.split("\\.", -1);
        if (fields.length < 2 || !KEYSET_CHARACTERS.matcher(token).matches()) {
            // Not one of ours at all: MLflow's words for a token it cannot decode.
            throw MlflowException.invalidParameter("Invalid page token, could not base64-decode");
        }
        try {
            if (fields.length == count + 1 && decode(fields[0]).equals(fingerprint)) {
                List<String> values = new ArrayList<>(count);
                for (int i = 1; i < fields.length; i++) {
                    values.add(decode(fields[i]));
                }
                return values;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw MlflowException.invalidParameter("Invalid page token: it does not belong to this request "
                + "(a page token is only valid with the parameters of the request that returned it)");
    }

    private static String field(String value) {
        return FIELD_ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String field) {
        return new String(FIELD_DECODER.decode(field), StandardCharsets.UTF_8);
    }
}
