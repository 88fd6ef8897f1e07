package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;
import io.quarkflow.tracking.domain.SearchFilter.OrderBy;
import io.quarkflow.tracking.domain.ViewType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the runs/search query: filters as EXISTS sub-queries on indexed tables, ordering by the requested keys with
 * missing values last, and keyset paging. Every ordering becomes a list of non-null sort keys ending in run_uuid, so
 * the order is total and a page token can carry the last row's keys: inserting runs between pages then shifts nothing.
 * User input only ever travels as bind parameters.
 */
public final class RunSearchSql {

    /** @param sortKeys how many sort-key columns follow the run columns in each row */
    public record Query(String sql, List<Object> args, List<SortKey> sortKeys) {
    }

    /** One sort key: a SQL expression that is never null, its direction, and the cast its bound value needs. */
    public record SortKey(String expression, boolean ascending, String cast) {
    }

    public static final String RUN_COLUMNS =
            "r.run_uuid, r.name, r.experiment_id, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

    private static final Map<String, String> STRING_COLUMNS = Map.of("run_id", "r.run_uuid", "run_name", "r.name",
            "user_id", "r.user_id", "status", "r.status", "artifact_uri", "r.artifact_uri");
    private static final Map<String, String> ORDER_COLUMNS = Map.of("run_id", "r.run_uuid", "run_name", "r.name",
            "user_id", "r.user_id", "status", "r.status", "artifact_uri", "r.artifact_uri", "start_time", "r.start_time",
            "end_time", "r.end_time", "experiment_id", "r.experiment_id");
    private static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    private final List<String> joins = new ArrayList<>();
    private final List<String> where = new ArrayList<>();
    private final List<SortKey> keys = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    private RunSearchSql() {
    }

    /**
     * @param after the sort-key values of the previous page's last row, or null for the first page
     * @param limit rows to fetch (callers ask for one more than a page to learn whether another follows)
     */
    public static Query build(Long[] experimentIds, ViewType viewType, List<Comparison> filter, List<OrderBy> orderBy,
                              List<Object> after, int limit) {
        RunSearchSql sql = new RunSearchSql();
        sql.where.add("r.experiment_id = any(" + sql.bind(experimentIds) + ")");
        sql.where.add("r.lifecycle_stage = any(" + sql.bind(Arrays.stream(LifecycleStage.values())
                .filter(viewType::includes).map(Enum::name).toArray(String[]::new)) + ")");
        filter.forEach(sql::addComparison);
        sql.addOrdering(orderBy);
        if (after != null) {
            sql.where.add(sql.after(after));
        }
        StringBuilder text = new StringBuilder("select ").append(RUN_COLUMNS);
        for (SortKey key : sql.keys) {
            text.append(", ").append(key.expression());
        }
        text.append(" from runs r");
        sql.joins.forEach(join -> text.append(' ').append(join));
        text.append(" where ").append(String.join(" and ", sql.where)).append(" order by ");
        for (int i = 0; i < sql.keys.size(); i++) {
            SortKey key = sql.keys.get(i);
            text.append(i == 0 ? "" : ", ").append(key.expression()).append(key.ascending() ? " asc" : " desc");
        }
        text.append(" limit ").append(limit);
        return new Query(text.toString(), sql.args, List.copyOf(sql.keys));
    }

    private void addComparison(Comparison c) {
        String op = operator(c.comparator());
        switch (c.type()) {
            case METRIC -> where.add("exists (select 1 from latest_metrics m where m.run_uuid = r.run_uuid and m.key = "
                    + bind(c.key()) + " and not m.is_nan and m.value " + op + " " + bind(c.value()) + ")");
            case PARAM -> where.add("exists (select 1 from params p where p.run_uuid = r.run_uuid and p.key = "
                    + bind(c.key()) + " and p.value " + op + " " + bind(c.value()) + ")");
            case TAG -> where.add("exists (select 1 from tags t where t.run_uuid = r.run_uuid and t.key = "
                    + bind(c.key()) + " and t.value " + op + " " + bind(c.value()) + ")");
            case ATTRIBUTE -> where.add(compare(STRING_COLUMNS.getOrDefault(c.key(), "r." + c.key()), c));
            case DATASET -> where.add(c.key().equals("context")
                    ? "exists (select 1 from run_input_tags t where t.run_uuid = r.run_uuid and t.key = '"
                    + DATASET_CONTEXT_TAG + "' and " + compare("t.value", c) + ")"
                    : "exists (select 1 from run_inputs i join datasets d on d.dataset_uuid = i.dataset_uuid "
                    + "where i.run_uuid = r.run_uuid and " + compare("d." + c.key(), c) + ")");
            default -> throw new IllegalArgumentException(c.type().name());
        }
    }

    private String compare(String column, Comparison c) {
        if (c.value() instanceof List<?> values) {
            String any = column + " = any(" + bind(values.stream().map(String.class::cast).toArray(String[]::new)) + ")";
            return c.comparator().equals("IN") ? any : "not (" + any + ")";
        }
        String cast = c.value() instanceof Double ? "::float8" : "";
        return column + " " + operator(c.comparator()) + " " + bind(c.value()) + cast;
    }

    /** Missing keys sort last in either direction, and NaN metrics just before them, as in MLflow. */
    private void addOrdering(List<OrderBy> orderBy) {
        boolean byStartTime = false;
        for (OrderBy order : orderBy) {
            String alias = "o" + (joins.size() + 1);
            switch (order.type()) {
                case METRIC -> {
                    joins.add("left join latest_metrics " + alias + " on " + alias + ".run_uuid = r.run_uuid and "
                            + alias + ".key = " + bind(order.key()));
                    keys.add(new SortKey("(case when " + alias + ".run_uuid is null then 2 when " + alias
                            + ".is_nan then 1 else 0 end)", true, "int"));
                    keys.add(new SortKey("coalesce(" + alias + ".value, 0)", order.ascending(), "float8"));
                }
                case PARAM, TAG -> {
                    joins.add("left join " + (order.type() == EntityType.PARAM ? "params " : "tags ") + alias + " on "
                            + alias + ".run_uuid = r.run_uuid and " + alias + ".key = " + bind(order.key()));
                    keys.add(new SortKey("(case when " + alias + ".run_uuid is null then 1 else 0 end)", true, "int"));
                    keys.add(new SortKey("coalesce(" + alias + ".value, '')", order.ascending(), "text"));
                }
                case ATTRIBUTE -> {
                    byStartTime |= order.key().equals("start_time");
                    addColumnKey(ORDER_COLUMNS.get(order.key()), order.ascending());
                }
                default -> throw new IllegalArgumentException(order.type().name());
            }
        }
        if (!byStartTime) {
            addColumnKey("r.start_time", false);
        }
        keys.add(new SortKey("r.run_uuid", true, "text"));
    }

    private void addColumnKey(String column, boolean ascending) {
        boolean numeric = column.endsWith("_time") || column.endsWith("experiment_id");
        boolean nullable = column.equals("r.end_time") || column.equals("r.user_id");
        if (nullable) {
            keys.add(new SortKey("(case when " + column + " is null then 1 else 0 end)", true, "int"));
            keys.add(new SortKey("coalesce(" + column + (numeric ? ", 0)" : ", '')"), ascending, numeric ? "int8" : "text"));
        } else {
            keys.add(new SortKey(column, ascending, numeric ? "int8" : "text"));
        }
    }

    /** Rows strictly after the given key values in this ordering: (k1 > v1) or (k1 = v1 and k2 > v2) or ... */
    private String after(List<Object> values) {
        List<String> alternatives = new ArrayList<>();
        List<String> equalSoFar = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            SortKey key = keys.get(i);
            String value = bind(values.get(i)) + "::" + key.cast();
            List<String> terms = new ArrayList<>(equalSoFar);
            terms.add(key.expression() + (key.ascending() ? " > " : " < ") + value);
            alternatives.add("(" + String.join(" and ", terms) + ")");
            equalSoFar.add(key.expression() + " = " + value);
        }
        return "(" + String.join(" or ", alternatives) + ")";
    }

    private static String operator(String comparator) {
        return switch (comparator) {
            case "!=" -> "<>";
            case "LIKE" -> "like";
            case "ILIKE" -> "ilike";
            default -> comparator;
        };
    }

    private String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }
}
