package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What logged-models/search allows (mlflow/utils/search_logged_model_utils.py and the SQL store's
 * search_logged_models): comparisons of {@code attributes.<column>} (or a bare column), {@code metrics.<name>},
 * {@code params.<key>} and {@code tags.<key>} joined by AND; the {@code datasets} that restrict which metric values
 * count; and structured order_by clauses. Returns comparisons and orders with canonical keys, and status values as
 * their protobuf numbers.
 *
 * <p>Where MLflow's server fails with a 500 (an unknown attribute, a quoted number) or silently matches nothing
 * (a status by name), these rules answer a 400 or match by name.
 */
public final class LoggedModelSearchRules {

    /** Only these four prefixes, unlike runs/search's aliases. */
    public static final SearchFilter.Entities ENTITIES = new SearchFilter.Entities(Map.of(
            "attributes", EntityType.ATTRIBUTE, "metrics", EntityType.METRIC, "params", EntityType.PARAM,
            "tags", EntityType.TAG), "Invalid entity type: '%s'. Expected one of ['attributes', 'metrics', 'params', 'tags'].");

    /** MLflow's proto default when max_results is absent. */
    public static final int DEFAULT_MAX_RESULTS = 50;
    /** What MLflow's store uses when max_results is 0. */
    public static final int STORE_DEFAULT_MAX_RESULTS = 100;

    private static final Map<String, String> ATTRIBUTES = Map.ofEntries(Map.entry("model_id", "model_id"),
            Map.entry("name", "name"), Map.entry("model_type", "model_type"), Map.entry("status", "status"),
            Map.entry("source_run_id", "source_run_id"), Map.entry("creation_timestamp_ms", "creation_timestamp_ms"),
            Map.entry("creation_timestamp", "creation_timestamp_ms"), Map.entry("creation_time", "creation_timestamp_ms"),
            Map.entry("last_updated_timestamp_ms", "last_updated_timestamp_ms"),
            Map.entry("last_updated_timestamp", "last_updated_timestamp_ms"));
    private static final Set<String> NUMERIC_ATTRIBUTES = Set.of("creation_timestamp_ms", "last_updated_timestamp_ms");
    private static final String STATUS = "status";
    private static final List<String> NUMERIC_OPS = List.of("<", "<=", ">", ">=", "=", "!=");
    private static final List<String> STRING_OPS = List.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");
    private static final List<String> STATUS_OPS = List.of("=", "!=", "IN", "NOT IN");

    /** MLflow's SearchLoggedModels.Dataset: metrics count only if measured on one of these datasets. */
    public record Dataset(String datasetName, String datasetDigest) {
    }

    /** MLflow's SearchLoggedModels.OrderBy, as the client sends it. */
    public record OrderBy(String fieldName, Boolean ascending, String datasetName, String datasetDigest) {
    }

    /**
     * A validated order: an attribute column, or a metric (its latest value per model, by timestamp then step,
     * only among points on the given dataset when one is named).
     */
    public record Order(EntityType type, String key, boolean ascending, String datasetName, String datasetDigest) {
    }

    private LoggedModelSearchRules() {
    }

    public static List<Comparison> filter(String filter) {
        List<Comparison> result = new ArrayList<>();
        for (Comparison c : SearchFilter.parse(filter, ENTITIES)) {
            result.add(validate(c));
        }
        return result;
    }

    /** Every dataset needs a name (MLflow's message); an empty digest means any digest. */
    public static List<Dataset> datasets(List<Dataset> datasets) {
        List<Dataset> result = new ArrayList<>();
        for (Dataset dataset : datasets == null ? List.<Dataset>of() : datasets) {
            if (empty(dataset.datasetName())) {
                throw MlflowException.invalidParameter("`dataset_name` in the `datasets` clause must be specified.");
            }
            result.add(new Dataset(dataset.datasetName(), emptyToNull(dataset.datasetDigest())));
        }
        return result;
    }

    public static List<Order> orderBy(List<OrderBy> orderBy) {
        List<Order> result = new ArrayList<>();
        for (OrderBy order : orderBy == null ? List.<OrderBy>of() : orderBy) {
            String field = order.fieldName() == null ? "" : order.fieldName();
            boolean ascending = order.ascending() == null || order.ascending();
            int dot = field.indexOf('.');
            if (dot < 0) {
                String column = ATTRIBUTES.get(field);
                if (column == null) {
                    throw MlflowException.invalidParameter("Invalid order by field name: " + field);
                }
                result.add(new Order(EntityType.ATTRIBUTE, column, ascending, null, null));
            } else if (field.substring(0, dot).equals("metrics") && dot < field.length() - 1) {
                result.add(new Order(EntityType.METRIC, field.substring(dot + 1), ascending,
                        emptyToNull(order.datasetName()), emptyToNull(order.datasetDigest())));
            } else {
                throw MlflowException.invalidParameter("Invalid order by field name: " + field
                        + ". Only metrics are supported.");
            }
        }
        return result;
    }

    /** Absent: the proto default, 50; 0: MLflow's store default, 100. */
    public static int maxResults(Long requested) {
        if (requested == null) {
            return DEFAULT_MAX_RESULTS;
        }
        return requested == 0 ? STORE_DEFAULT_MAX_RESULTS : MaxResults.forSearch(requested);
    }

    private static Comparison validate(Comparison c) {
        return switch (c.type()) {
            case METRIC -> numeric(c, "metrics." + c.key());
            case PARAM -> string(c, "params." + c.key());
            case TAG -> string(c, "tags." + c.key());
            case ATTRIBUTE -> attribute(c);
            default -> throw new IllegalArgumentException(c.type().name());
        };
    }

    private static Comparison attribute(Comparison c) {
        String column = ATTRIBUTES.get(c.key());
        if (column == null) {
            throw MlflowException.invalidParameter("Invalid attribute key '" + c.key() + "' specified. Valid keys are '"
                    + new TreeSet<>(ATTRIBUTES.keySet()) + "'");
        }
        Comparison canonical = new Comparison(EntityType.ATTRIBUTE, column, c.comparator(), c.value());
        if (NUMERIC_ATTRIBUTES.contains(column)) {
            return numeric(canonical, "attributes." + column);
        }
        if (column.equals(STATUS)) {
            return status(canonical);
        }
        return string(canonical, "attributes." + column);
    }

    private static Comparison numeric(Comparison c, String entity) {
        requireOp(c.comparator(), NUMERIC_OPS, entity);
        if (!(c.value() instanceof Double)) {
            throw MlflowException.invalidParameter("Expected a numeric value for " + entity + ". Found " + c.value());
        }
        return c;
    }

    private static Comparison string(Comparison c, String entity) {
        requireOp(c.comparator(), STRING_OPS, entity);
        boolean list = c.comparator().endsWith("IN");
        if (list ? !(c.value() instanceof List<?>) : !(c.value() instanceof String)) {
            throw MlflowException.invalidParameter("Expected " + (list ? "a parenthesised list of quoted strings"
                    : "a quoted string value") + " for " + entity + ". Found " + c.value());
        }
        return c;
    }

    /** Status values by name (LOGGED_MODEL_READY) or number (2, '2'), compared as MLflow stores them: numbers. */
    private static Comparison status(Comparison c) {
        requireOp(c.comparator(), STATUS_OPS, "attributes." + STATUS);
        Object value = c.value() instanceof List<?> values
                ? values.stream().map(LoggedModelSearchRules::statusNumber).toList()
                : statusNumber(c.value());
        if (c.comparator().endsWith("IN") != value instanceof List<?>) {
            throw MlflowException.invalidParameter("Expected " + (c.comparator().endsWith("IN")
                    ? "a parenthesised list of statuses" : "a single status") + " for attributes.status. Found "
                    + c.value());
        }
        return new Comparison(c.type(), c.key(), c.comparator(), value);
    }

    private static Integer statusNumber(Object value) {
        if (value instanceof Double number && number == Math.rint(number)) {
            return LoggedModelStatus.of(number.intValue()).number();
        }
        return LoggedModelStatus.parse(String.valueOf(value)).number();
    }

    /** MLflow's message names the string comparators whatever the entity; this names the ones that apply. */
    private static void requireOp(String op, List<String> allowed, String entity) {
        if (!allowed.contains(op)) {
            throw MlflowException.invalidParameter("Invalid comparison operator for " + entity + ": '" + op
                    + "'. Expected one of ('" + String.join("', '", allowed) + "').");
        }
    }

    private static boolean empty(String value) {
        return value == null || value.isEmpty();
    }

    private static String emptyToNull(String value) {
        return empty(value) ? null : value;
    }
}
