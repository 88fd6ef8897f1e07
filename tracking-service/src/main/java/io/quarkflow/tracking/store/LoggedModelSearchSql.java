package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Dataset;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Order;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the logged-models/search query. Filters become EXISTS sub-queries on the primary keys of the model's
 * params, tags and metrics; ordering by a metric reads each model's latest point of it from the end of its
 * (model_id, key) index range. Every ordering ends with creation time (unless ordered by it) and model_id, so the
 * order is total and pages go by keyset. User input only ever travels as bind parameters.
 */
public final class LoggedModelSearchSql {

    /** The statement, its bind values, and how many sort-key columns follow the model's in each row. */
    public record Query(String sql, List<Object> args, int keyCount) {
    }

    private static final Set<String> INTEGER_COLUMNS = Set.of("creation_timestamp_ms", "last_updated_timestamp_ms");

    private final List<String> joins = new ArrayList<>();
    private final List<String> where = new ArrayList<>();
    private final List<SortKey> keys = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    private LoggedModelSearchSql() {
    }

    /** The sort keys a page token carries for this ordering, in order. */
    public static List<SortKey> tokenKeys(List<Order> order) {
        LoggedModelSearchSql sql = new LoggedModelSearchSql();
        sql.addOrdering(order);
        return List.copyOf(sql.keys);
    }

    /**
     * @param after the sort-key values of the previous page's last row (see {@link #tokenKeys}), or null
     * @param limit rows to fetch at most
     */
    public static Query build(Long[] experimentIds, List<Comparison> filter, List<Dataset> datasets, List<Order> order,
                              List<Object> after, int limit) {
        LoggedModelSearchSql sql = new LoggedModelSearchSql();
        sql.where.add(experimentIds.length == 1 ? "lm.experiment_id = " + sql.bind(experimentIds[0])
                : "lm.experiment_id = any(" + sql.bind(experimentIds) + ")");
        sql.where.add("lm.lifecycle_stage = '" + LifecycleStage.active.name() + "'");
        filter.forEach(c -> sql.addComparison(c, datasets));
        if (!datasets.isEmpty() && filter.stream().noneMatch(c -> c.type() == EntityType.METRIC)) {
            // Datasets alone: the models with any metric measured on one of them (MLflow's rule).
            sql.where.add("exists (select 1 from logged_model_metrics x where x.model_id = lm.model_id and "
                    + sql.onDatasets("x", datasets) + ")");
        }
        sql.addOrdering(order);
        if (after != null) {
            // The first key's bound on its own is what an index can start the page at; the full condition decides.
            SortKey first = sql.keys.get(0);
            sql.where.add(first.expression() + (first.ascending() ? " >= " : " <= ") + sql.bind(after.get(0)) + "::"
                    + first.cast());
            sql.where.add(SortKey.after(sql.keys, after, sql::bind));
        }
        return sql.query(limit);
    }

    private void addComparison(Comparison c, List<Dataset> datasets) {
        switch (c.type()) {
            case METRIC -> where.add("exists (select 1 from logged_model_metrics x where x.model_id = lm.model_id and "
                    + "x.key = " + bind(c.key()) + " and not x.is_nan and x.value " + SqlOperators.of(c.comparator()) + " "
                    + bind(c.value()) + "::float8" + (datasets.isEmpty() ? "" : " and " + onDatasets("x", datasets)) + ")");
            case PARAM, TAG -> where.add("exists (select 1 from " + (c.type() == EntityType.PARAM
                    ? "logged_model_params" : "logged_model_tags") + " p where p.model_id = lm.model_id and p.key = "
                    + bind(c.key()) + " and " + compare("p.value", c) + ")");
            case ATTRIBUTE -> where.add(c.key().equals("name") && c.comparator().equals("=")
                    ? ValuePrefix.compare("lm.name", "=", (String) c.value(), this::bind)
                    : compare("lm." + c.key(), c));
            default -> throw new IllegalArgumentException(c.type().name());
        }
    }

    /** A metric point on any of the datasets: the name, and the digest when one is given. */
    private String onDatasets(String alias, List<Dataset> datasets) {
        List<String> any = new ArrayList<>();
        for (Dataset dataset : datasets) {
            String name = alias + ".dataset_name = " + bind(dataset.datasetName());
            any.add(dataset.datasetDigest() == null ? name
                    : "(" + name + " and " + alias + ".dataset_digest = " + bind(dataset.datasetDigest()) + ")");
        }
        return "(" + String.join(" or ", any) + ")";
    }

    private String compare(String column, Comparison c) {
        if (c.value() instanceof List<?> values) {
            Object array = values.get(0) instanceof Integer ? values.toArray(Integer[]::new)
                    : values.toArray(String[]::new);
            String any = column + " = any(" + bind(array) + ")";
            return c.comparator().equals("IN") ? any : "not (" + any + ")";
        }
        String cast = c.value() instanceof Double ? "::float8" : c.value() instanceof Integer ? "::int" : "";
        return column + " " + SqlOperators.of(c.comparator()) + " " + bind(c.value()) + cast;
    }

    /** Missing metrics sort last in either direction and NaN just before them; nulls cannot occur in attributes. */
    private void addOrdering(List<Order> order) {
        boolean byCreation = false;
        for (Order o : order) {
            if (o.type() == EntityType.METRIC) {
                String alias = "o" + (joins.size() + 1);
                List<String> conditions = new ArrayList<>(List.of("x.model_id = lm.model_id", "x.key = " + bind(o.key())));
                if (o.datasetName() != null) {
                    conditions.add("x.dataset_name = " + bind(o.datasetName()));
                }
                if (o.datasetDigest() != null) {
                    conditions.add("x.dataset_digest = " + bind(o.datasetDigest()));
                }
                joins.add("left join lateral (select x.value, x.is_nan from logged_model_metrics x where "
                        + String.join(" and ", conditions) + " order by x.ts desc, x.step desc, x.value desc, "
                        + "x.is_nan desc limit 1) " + alias + " on true");
                keys.add(new SortKey("(case when " + alias + ".value is null then 2 when " + alias
                        + ".is_nan then 1 else 0 end)", true, "int"));
                keys.add(new SortKey("coalesce(" + alias + ".value, 0)", o.ascending(), "float8"));
            } else {
                byCreation |= o.key().equals("creation_timestamp_ms");
                keys.add(columnKey(o.key(), o.ascending()));
            }
        }
        if (!byCreation) {
            keys.add(columnKey("creation_timestamp_ms", false));
        }
        keys.add(new SortKey("lm.model_id", true, "text"));
    }

    private static SortKey columnKey(String column, boolean ascending) {
        if (INTEGER_COLUMNS.contains(column)) {
            return new SortKey("lm." + column, ascending, "int8");
        }
        if (column.equals("status")) {
            return new SortKey("lm.status", ascending, "int");
        }
        // Byte order, as MLflow's SQLite store sorts, whatever the database's locale.
        return new SortKey("lm." + column + " collate \"C\"", ascending, "text");
    }

    private Query query(int limit) {
        StringBuilder text = new StringBuilder("select ").append(LoggedModelRepository.ALIASED_COLUMNS);
        for (SortKey key : keys) {
            text.append(", ").append(key.expression());
        }
        text.append(" from logged_models lm");
        joins.forEach(join -> text.append(' ').append(join));
        text.append(" where ").append(String.join(" and ", where)).append(" order by ");
        text.append(String.join(", ", keys.stream().map(key -> key.expression() + (key.ascending() ? " asc" : " desc"))
                .toList()));
        text.append(" limit ").append(limit);
        return new Query(text.toString(), List.copyOf(args), keys.size());
    }

    private String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }
}
