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
 * Builds the runs/search queries. Filters become EXISTS sub-queries on the (experiment_id, key, value prefix) indexes.
 * Every ordering is a list of never-null sort keys ending in run_uuid, so the order is total and a page token can
 * carry the last row's keys (keyset paging: runs inserted between pages shift nothing).
 *
 * <p>When the first order_by is a metric, param or tag, the search is split into segments by rank of that key
 * (present, NaN, missing, as MLflow orders them). The "present" segment walks the index of that key in value order
 * and stops after one page, instead of sorting every run of the experiment; the others run only when a page is
 * not full yet. User input only ever travels as bind parameters.
 */
public final class RunSearchSql {

    /** One query; its rows come in final order, after those of the segments before it. */
    public record Segment(String sql, List<Object> args) {
    }

    private static final Map<String, String> STRING_COLUMNS = Map.of("run_id", "r.run_uuid", "run_name", "r.name",
            "user_id", "r.user_id", "status", "r.status", "artifact_uri", "r.artifact_uri");
    private static final Map<String, String> ORDER_COLUMNS = Map.of("run_id", "r.run_uuid", "run_name", "r.name",
            "user_id", "r.user_id", "status", "r.status", "artifact_uri", "r.artifact_uri", "start_time", "r.start_time",
            "end_time", "r.end_time", "experiment_id", "r.experiment_id");
    private static final String DATASET_CONTEXT_TAG = "mlflow.data.context";
    private static final String RANKED = "o0";

    private final Long[] experimentIds;
    private final String[] stages;
    private final List<String> from = new ArrayList<>();
    private final List<String> where = new ArrayList<>();
    private final List<SortKey> keys = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();
    private String rankColumn;
    /** Ordering by a param or tag: the indexed prefix of its value, which the walk of the index yields in order. */
    private SortKey rankedPrefix;

    private RunSearchSql(Long[] experimentIds, ViewType viewType) {
        this.experimentIds = experimentIds;
        this.stages = Arrays.stream(LifecycleStage.values()).filter(viewType::includes).map(Enum::name)
                .toArray(String[]::new);
    }

    /** The sort keys a page token carries for this ordering, in order. */
    public static List<SortKey> tokenKeys(List<OrderBy> orderBy) {
        RunSearchSql sql = new RunSearchSql(new Long[0], ViewType.ALL);
        if (isRanked(orderBy)) {
            OrderBy first = orderBy.get(0);
            sql.keys.add(new SortKey("rank", true, "int"));
            sql.keys.add(new SortKey("value", first.ascending(), first.type() == EntityType.METRIC ? "float8" : "text"));
            sql.addOrdering(orderBy.subList(1, orderBy.size()));
        } else {
            sql.addOrdering(orderBy);
        }
        return List.copyOf(sql.keys);
    }

    /**
     * @param after the sort-key values of the previous page's last row (see {@link #tokenKeys}), or null
     * @param limit rows each segment fetches at most
     */
    public static List<Segment> build(Long[] experimentIds, ViewType viewType, List<Comparison> filter,
                                      List<OrderBy> orderBy, List<Object> after, int limit) {
        if (!isRanked(orderBy)) {
            RunSearchSql sql = new RunSearchSql(experimentIds, viewType);
            sql.from.add("runs r");
            sql.addBase(filter);
            sql.addOrdering(orderBy);
            if (after != null) {
                sql.where.add(sql.after(sql.keys, after));
            }
            return List.of(sql.segment(limit));
        }
        OrderBy first = orderBy.get(0);
        int ranks = first.type() == EntityType.METRIC ? 3 : 2;
        int afterRank = after == null ? 0 : (Integer) after.get(0);
        List<Segment> segments = new ArrayList<>();
        for (int rank = afterRank; rank < ranks; rank++) {
            RunSearchSql sql = new RunSearchSql(experimentIds, viewType);
            sql.addRanked(first, rank, ranks);
            sql.addBase(filter);
            sql.addOrdering(orderBy.subList(1, orderBy.size()));
            if (after != null && rank == afterRank) {
                // Within the segment the rank is fixed; the present values are ordered, NaN and missing are not.
                int skip = rank == 0 ? 1 : 2;
                sql.where.add(sql.after(sql.keys.subList(skip - 1, sql.keys.size()), after.subList(skip, after.size())));
                if (sql.rankedPrefix != null) {
                    sql.where.add(sql.prefixFrom(after.get(1)));
                }
            }
            segments.add(sql.segment(limit));
        }
        return segments;
    }

    private static boolean isRanked(List<OrderBy> orderBy) {
        return !orderBy.isEmpty() && orderBy.get(0).type() != EntityType.ATTRIBUTE;
    }

    /** The first order key's rows of one rank: 0 has a value, 1 is NaN (metrics only), the last rank has none. */
    private void addRanked(OrderBy order, int rank, int ranks) {
        boolean metric = order.type() == EntityType.METRIC;
        String table = metric ? "latest_metrics " : order.type() == EntityType.PARAM ? "params " : "tags ";
        String key = bind(order.key());
        String constant = metric ? "0::float8" : "''::text";
        if (rank == ranks - 1) {
            from.add("runs r");
            where.add("not exists (select 1 from " + table + RANKED + " where " + RANKED + ".run_uuid = r.run_uuid and "
                    + RANKED + ".key = " + key + ")");
            keys.add(new SortKey(constant, order.ascending(), metric ? "float8" : "text"));
        } else {
            from.add(table + RANKED + " join runs r on r.run_uuid = " + RANKED + ".run_uuid");
            where.add(inExperiments(RANKED + ".experiment_id") + " and " + RANKED + ".key = " + key);
            if (metric) {
                where.add((rank == 1 ? "" : "not ") + RANKED + ".is_nan");
            }
            String value = metric ? RANKED + ".value" : RANKED + ".value collate \"C\"";
            keys.add(new SortKey(rank == 0 ? value : constant, order.ascending(), metric ? "float8" : "text"));
            if (rank == 0 && !metric) {
                rankedPrefix = new SortKey(ValuePrefix.of(RANKED + ".value"), order.ascending(), "text");
            }
        }
        rankColumn = String.valueOf(rank);
    }

    private void addBase(List<Comparison> filter) {
        where.add(inExperiments("r.experiment_id"));
        where.add(stages.length == 1 ? "r.lifecycle_stage = " + bind(stages[0])
                : "r.lifecycle_stage = any(" + bind(stages) + ")");
        filter.forEach(this::addComparison);
    }

    private String inExperiments(String column) {
        return experimentIds.length == 1 ? column + " = " + bind(experimentIds[0])
                : column + " = any(" + bind(experimentIds) + ")";
    }

    private void addComparison(Comparison c) {
        String op = SqlOperators.of(c.comparator());
        switch (c.type()) {
            case METRIC -> where.add("exists (select 1 from latest_metrics m where m.run_uuid = r.run_uuid and "
                    + inExperiments("m.experiment_id") + " and m.key = " + bind(c.key()) + " and not m.is_nan and m.value "
                    + op + " " + bind(c.value()) + ")");
            case PARAM, TAG -> {
                String table = c.type() == EntityType.PARAM ? "params" : "tags";
                where.add("exists (select 1 from " + table + " p where p.run_uuid = r.run_uuid and "
                        + inExperiments("p.experiment_id") + " and p.key = " + bind(c.key()) + " and "
                        + ValuePrefix.compare("p.value", c.comparator(), (String) c.value(), this::bind) + ")");
            }
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
        return column + " " + SqlOperators.of(c.comparator()) + " " + bind(c.value()) + cast;
    }

    /**
     * Sort keys for order clauses: missing keys sort last in either direction and NaN metrics just before them, as
     * in MLflow; then start_time DESC unless ordered by it already; then run_uuid.
     */
    private void addOrdering(List<OrderBy> orderBy) {
        boolean byStartTime = false;
        for (OrderBy order : orderBy) {
            String alias = "o" + (from.size() + keys.size() + 1);
            switch (order.type()) {
                case METRIC -> {
                    from.add("left join latest_metrics " + alias + " on " + alias + ".run_uuid = r.run_uuid and "
                            + alias + ".key = " + bind(order.key()));
                    keys.add(new SortKey("(case when " + alias + ".run_uuid is null then 2 when " + alias
                            + ".is_nan then 1 else 0 end)", true, "int"));
                    keys.add(new SortKey("coalesce(" + alias + ".value, 0)", order.ascending(), "float8"));
                }
                case PARAM, TAG -> {
                    from.add("left join " + (order.type() == EntityType.PARAM ? "params " : "tags ") + alias + " on "
                            + alias + ".run_uuid = r.run_uuid and " + alias + ".key = " + bind(order.key()));
                    keys.add(new SortKey("(case when " + alias + ".run_uuid is null then 1 else 0 end)", true, "int"));
                    keys.add(new SortKey("coalesce(" + alias + ".value, '') collate \"C\"", order.ascending(), "text"));
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

    private String after(List<SortKey> sortKeys, List<Object> values) {
        return SortKey.after(sortKeys, values, this::bind);
    }

    /**
     * Implied by the keyset condition (a later value never has an earlier prefix), and what the index can start the
     * walk at instead of the first value of the key.
     */
    private String prefixFrom(Object value) {
        return rankedPrefix.expression() + (rankedPrefix.ascending() ? " >= " : " <= ") + "left(" + bind(value)
                + "::text, " + ValuePrefix.LENGTH + ")";
    }

    private Segment segment(int limit) {
        StringBuilder text = new StringBuilder("select ").append(RunRepository.ALIASED_COLUMNS);
        if (rankColumn != null) {
            text.append(", ").append(rankColumn);
        }
        for (SortKey key : keys) {
            text.append(", ").append(key.expression());
        }
        text.append(" from ").append(String.join(" ", from));
        text.append(" where ").append(String.join(" and ", where)).append(" order by ");
        List<String> order = new ArrayList<>();
        if (rankedPrefix != null) {
            order.add(rankedPrefix.expression() + (rankedPrefix.ascending() ? " asc" : " desc"));
        }
        for (SortKey key : keys) {
            if (!isConstant(key)) {
                order.add(key.expression() + (key.ascending() ? " asc" : " desc"));
            }
        }
        text.append(String.join(", ", order)).append(" limit ").append(limit);
        return new Segment(text.toString(), List.copyOf(args));
    }

    /** A segment's NaN or missing "value", the same for all its rows: nothing to order by. */
    private static boolean isConstant(SortKey key) {
        return key.expression().equals("0::float8") || key.expression().equals("''::text");
    }


    private String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }
}
