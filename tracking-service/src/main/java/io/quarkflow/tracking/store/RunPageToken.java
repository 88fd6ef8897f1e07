package io.quarkflow.tracking.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.store.RunSearchSql.SortKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The runs/search page token: the last row's sort-key values plus a fingerprint of the search, so a token is
 * only accepted by the search that issued it. Opaque to clients, as MLflow's tokens are.
 */
public final class RunPageToken {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunPageToken() {
    }

    public static String encode(List<Object> keyValues, String fingerprint) {
        ObjectNode token = JSON.createObjectNode();
        token.put("s", fingerprint);
        ArrayNode keys = token.putArray("k");
        keyValues.forEach(value -> keys.addPOJO(value));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return the sort-key values typed as the keys' casts require, or null when there is no token */
    public static List<Object> decode(String token, List<SortKey> keys, String fingerprint) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(token));
            JsonNode values = node.path("k");
            if (node.path("s").asText().equals(fingerprint) && values.isArray() && values.size() == keys.size()) {
                List<Object> typed = new ArrayList<>(keys.size());
                for (int i = 0; i < keys.size(); i++) {
                    typed.add(typed(values.get(i), keys.get(i).cast()));
                }
                return typed;
            }
        } catch (IOException | IllegalArgumentException e) {
            // reported below
        }
        throw MlflowException.invalidParameter("Invalid page token: it does not belong to this search "
                + "(same experiment_ids, filter, run_view_type and order_by are required)");
    }

    private static Object typed(JsonNode value, String cast) {
        return switch (cast) {
            case "int" -> value.asInt();
            case "int8" -> value.asLong();
            case "float8" -> value.asDouble();
            default -> value.asText();
        };
    }
}
