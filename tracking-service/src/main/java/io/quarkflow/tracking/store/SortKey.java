package io.quarkflow.tracking.store;

import io.quarkflow.mlflow.errors.MlflowException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One key of a keyset-paged search: a SQL expression that is never null, its direction, and the cast its bound
 * value needs. A search orders by a list of them that ends in a unique column, so the order is total and a page
 * token can carry the last row's values.
 */
public record SortKey(String expression, boolean ascending, String cast) {

    /** A value of this key as a page token carried it (text), typed for binding. */
    Object typed(String value) {
        return switch (cast) {
            case "int" -> Integer.parseInt(value);
            case "int8" -> Long.parseLong(value);
            case "float8" -> Double.parseDouble(value);
            default -> value;
        };
    }

    /**
     * The sort-key values a page token carried, typed as the keys' casts require.
     *
     * @return null when there are none; an invalid number is MLflow's 400 for an invalid token
     */
    public static List<Object> typed(List<SortKey> keys, List<String> values) {
        if (values == null) {
            return null;
        }
        List<Object> typed = new ArrayList<>(keys.size());
        try {
            for (int i = 0; i < keys.size(); i++) {
                typed.add(keys.get(i).typed(values.get(i)));
            }
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("Invalid page token: a sort key is not of its type");
        }
        return typed;
    }

    /** Rows strictly after the given key values in this ordering: (k1 > v1) or (k1 = v1 and k2 > v2) or ... */
    static String after(List<SortKey> sortKeys, List<Object> values, Function<Object, String> bind) {
        List<String> alternatives = new ArrayList<>();
        List<String> equalSoFar = new ArrayList<>();
        for (int i = 0; i < sortKeys.size(); i++) {
            SortKey key = sortKeys.get(i);
            String value = bind.apply(values.get(i)) + "::" + key.cast();
            List<String> terms = new ArrayList<>(equalSoFar);
            terms.add(key.expression() + (key.ascending() ? " > " : " < ") + value);
            alternatives.add("(" + String.join(" and ", terms) + ")");
            equalSoFar.add(key.expression() + " = " + value);
        }
        return "(" + String.join(" or ", alternatives) + ")";
    }
}
