package io.quarkflow.tracking.store;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;
import io.quarkflow.tracking.domain.SearchFilter;
import io.quarkflow.tracking.domain.ViewType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns an experiments/search request into a WHERE / ORDER BY / LIMIT clause with bind parameters. */
public final class ExperimentSearchSql {

    public record Query(String sql, List<Object> args) {
    }

    private static final Set<String> ORDER_KEYS = Set.of("name", "experiment_id", "creation_time", "last_update_time");
    private static final Set<String> NUMERIC = Set.of("creation_time", "last_update_time");

    private final List<String> where = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    private ExperimentSearchSql() {
    }

    /** Fetches one row beyond the page so the caller knows whether another page follows. */
    public static Query build(ViewType viewType, String filter, List<String> orderBy, long offset, int maxResults) {
        ExperimentSearchSql sql = new ExperimentSearchSql();
        sql.where.add("e.lifecycle_stage = any(" + sql.bind(Arrays.stream(LifecycleStage.values())
                .filter(viewType::includes).map(Enum::name).toArray(String[]::new)) + ")");
        SearchFilter.parse(filter).forEach(sql::addComparison);
        String order = orderBy(orderBy);
        String text = "where " + String.join(" and ", sql.where) + " order by " + order
                + " limit " + sql.bind((long) maxResults + 1) + " offset " + sql.bind(offset);
        return new Query(text, sql.args);
    }

    private void addComparison(Comparison c) {
        String op = c.comparator();
        switch (c.type()) {
            case ATTRIBUTE -> {
                String key = c.key().toLowerCase(Locale.ROOT);
                if (NUMERIC.contains(key)) {
                    requireComparator(op, Set.of("=", "!=", "<", "<=", ">", ">="), "numeric attribute");
                    if (!(c.value() instanceof Double number)) {
                        throw MlflowException.invalidParameter("Expected a numeric value for attribute '" + key
                                + "', got '" + c.value() + "'");
                    }
                    where.add("e." + key + " " + SqlOperators.of(op) + " " + bind(number) + "::float8");
                } else if (key.equals("name")) {
                    requireComparator(op, Set.of("=", "!=", "LIKE", "ILIKE"), "string attribute");
                    where.add("e.name " + SqlOperators.of(op) + " " + bind(stringValue(c)));
                } else {
                    throw MlflowException.invalidParameter("Invalid attribute key '" + c.key() + "' specified. "
                            + "Valid keys are '['name', 'creation_time', 'last_update_time']'");
                }
            }
            case TAG -> {
                requireComparator(op, Set.of("=", "!=", "LIKE", "ILIKE"), "tag");
                where.add("exists (select 1 from experiment_tags t where t.experiment_id = e.experiment_id and t.key = "
                        + bind(c.key()) + " and t.value " + SqlOperators.of(op) + " " + bind(stringValue(c)) + ")");
            }
            default -> throw MlflowException.invalidParameter("Invalid token type: " + c.type().name().toLowerCase(Locale.ROOT)
                    + ". Experiments can be filtered by attributes (name, creation_time, last_update_time) and tags");
        }
    }

    private static String orderBy(List<String> orderBy) {
        List<String> clauses = new ArrayList<>();
        List<String> requested = orderBy == null || orderBy.isEmpty()
                ? List.of("creation_time DESC", "experiment_id ASC") : orderBy;
        boolean hasId = false;
        for (String clause : requested) {
            SearchFilter.OrderBy order = SearchFilter.parseOrderBy(clause);
            if (order.type() != EntityType.ATTRIBUTE || !ORDER_KEYS.contains(order.key())) {
                throw MlflowException.invalidParameter("Invalid order_by entity: '" + clause + "'. Experiments can be "
                        + "ordered by name, experiment_id, creation_time and last_update_time");
            }
            hasId |= order.key().equals("experiment_id");
            clauses.add("e." + order.key() + (order.ascending() ? " ASC" : " DESC"));
        }
        if (!hasId) {
            clauses.add("e.experiment_id DESC");
        }
        return String.join(", ", clauses);
    }

    private static void requireComparator(String op, Set<String> allowed, String what) {
        if (!allowed.contains(op)) {
            throw MlflowException.invalidParameter("Invalid comparator '" + op + "' for " + what + ". Allowed: " + allowed);
        }
    }

    private static String stringValue(Comparison c) {
        if (!(c.value() instanceof String text)) {
            throw MlflowException.invalidParameter("Expected a quoted string value for '" + c.key() + "', got " + c.value());
        }
        return text;
    }


    private String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }
}
