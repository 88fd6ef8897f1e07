package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;
import io.quarkflow.tracking.domain.SearchFilter.OrderBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What runs/search allows, per entity (mlflow/utils/search_utils.py): comparators, value types, attribute
 * names and their aliases. Returns comparisons and order clauses with canonical keys.
 */
public final class RunSearchRules {

    public static final Set<String> STRING_ATTRIBUTES = Set.of("run_id", "run_name", "user_id", "status", "artifact_uri");
    public static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time");
    public static final Set<String> ORDERABLE_ATTRIBUTES = Set.of("run_id", "run_name", "user_id", "status",
            "artifact_uri", "start_time", "end_time", "experiment_id");
    public static final Set<String> DATASET_ATTRIBUTES = Set.of("name", "digest", "context");

    private static final Set<String> NUMERIC_COMPARATORS = Set.of("=", "!=", ">", ">=", "<", "<=");
    private static final Set<String> STRING_COMPARATORS = Set.of("=", "!=", "LIKE", "ILIKE");
    private static final Set<String> LIST_COMPARATORS = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");
    private static final Map<String, String> ALIASES = Map.of("created", "start_time", "Created", "start_time",
            "run name", "run_name", "Run name", "run_name", "Run Name", "run_name");

    private RunSearchRules() {
    }

    public static List<Comparison> filter(String filter) {
        List<Comparison> result = new ArrayList<>();
        for (Comparison c : SearchFilter.parse(filter)) {
            result.add(validate(c));
        }
        return result;
    }

    public static List<OrderBy> orderBy(List<String> clauses) {
        List<OrderBy> result = new ArrayList<>();
        for (String clause : clauses == null ? List.<String>of() : clauses) {
            OrderBy order = SearchFilter.parseOrderBy(clause);
            if (order.type() == EntityType.DATASET) {
                throw MlflowException.invalidParameter("Invalid order_by entity 'dataset' in '" + clause + "'");
            }
            if (order.type() == EntityType.ATTRIBUTE) {
                String key = ALIASES.getOrDefault(order.key(), order.key());
                if (!ORDERABLE_ATTRIBUTES.contains(key)) {
                    throw MlflowException.invalidParameter("Invalid attribute key '" + order.key()
                            + "' specified. Valid keys are '" + new TreeSet<>(ORDERABLE_ATTRIBUTES) + "'");
                }
                order = new OrderBy(EntityType.ATTRIBUTE, key, order.ascending());
            }
            result.add(order);
        }
        return result;
    }

    private static Comparison validate(Comparison c) {
        String op = c.comparator();
        return switch (c.type()) {
            case METRIC -> {
                require(op, NUMERIC_COMPARATORS, "metric");
                yield numeric(c, "Expected numeric value type for metric. Found " + c.value());
            }
            case PARAM, TAG -> {
                // MLflow checks the value's type before the comparator.
                string(c, "Expected a quoted string value for " + (c.type() == EntityType.PARAM ? "parameter" : "tag")
                        + " (e.g. 'my-value'). Got value " + token(c.value()));
                require(op, STRING_COMPARATORS, c.type() == EntityType.PARAM ? "param" : "tag");
                yield c;
            }
            case ATTRIBUTE -> attribute(c);
            case DATASET -> {
                if (!DATASET_ATTRIBUTES.contains(c.key())) {
                    throw MlflowException.invalidParameter("Invalid dataset key '" + c.key()
                            + "' specified. Valid keys are '[context, digest, name]'");
                }
                require(op, LIST_COMPARATORS, "dataset");
                if (c.value() instanceof Double) {
                    throw MlflowException.invalidParameter("Expected datasets." + c.key()
                            + " to be either a string or list of strings. Found " + c.value());
                }
                yield c;
            }
        };
    }

    private static Comparison attribute(Comparison c) {
        String key = ALIASES.getOrDefault(c.key(), c.key());
        Comparison canonical = new Comparison(EntityType.ATTRIBUTE, key, c.comparator(), c.value());
        if (NUMERIC_ATTRIBUTES.contains(key)) {
            require(c.comparator(), NUMERIC_COMPARATORS, "numeric attribute");
            return numeric(canonical, "Expected numeric value type for numeric attribute: " + key + ". Found " + c.value());
        }
        if (!STRING_ATTRIBUTES.contains(key)) {
            throw MlflowException.invalidParameter("Invalid attribute key '" + c.key() + "' specified. Valid keys are "
                    + "'[artifact_uri, end_time, run_id, run_name, start_time, status, user_id]'");
        }
        require(c.comparator(), LIST_COMPARATORS, "string attribute");
        if (c.value() instanceof List<?>) {
            if (!key.equals("run_id")) {
                throw MlflowException.invalidParameter(
                        "Only the 'run_id' attribute supports comparison with a list of quoted string values.");
            }
            return canonical;
        }
        return string(canonical, "Expected a quoted string value for attributes. Got value " + token(c.value()));
    }

    private static Comparison numeric(Comparison c, String message) {
        if (!(c.value() instanceof Double)) {
            throw MlflowException.invalidParameter(message);
        }
        return c;
    }

    private static Comparison string(Comparison c, String message) {
        if (!(c.value() instanceof String)) {
            throw MlflowException.invalidParameter(message);
        }
        return c;
    }

    private static void require(String comparator, Set<String> allowed, String entity) {
        if (!allowed.contains(comparator)) {
            throw MlflowException.invalidParameter("Invalid comparator '" + comparator + "' not one of '"
                    + new TreeSet<>(allowed) + "' for " + entity + " comparison.");
        }
    }

    /** A value as the filter wrote it: a number without a fraction it did not have. */
    private static String token(Object value) {
        if (value instanceof Double number && number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString(number.longValue());
        }
        return String.valueOf(value);
    }
}
