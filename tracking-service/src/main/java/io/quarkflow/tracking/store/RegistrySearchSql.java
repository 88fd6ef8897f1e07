package io.quarkflow.tracking.store;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.RegistryRules;
import io.quarkflow.tracking.domain.SearchFilter;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns registered-models/search and model-versions/search requests into keyset-paged SQL, with MLflow's filters,
 * orderings and messages (mlflow/store/model_registry/sqlalchemy_store.py, mlflow/utils/search_utils.py). Each
 * ordering ends in a unique key (the model's name, then the version number), so the order is total.
 */
public final class RegistrySearchSql {

    /** @param keyCount how many sort-key columns follow each row's own */
    public record Query(String sql, List<Object> args, int keyCount) {
    }

    /** The parsed ordering of a search: its sort keys, which page tokens carry. */
    public record Ordering(List<SortKey> keys) {
    }

    private static final SearchFilter.Entities ENTITIES = new SearchFilter.Entities(
            Map.of("attribute", EntityType.ATTRIBUTE, "tag", EntityType.TAG, "tags", EntityType.TAG),
            "Invalid entity type '%s'. Valid entity types are ('attribute', 'tag', 'tags')");
    private static final Set<String> STRING_COMPARATORS = Set.of("=", "!=", "LIKE", "ILIKE");
    private static final Set<String> NUMERIC_COMPARATORS = Set.of("=", "!=", "<", "<=", ">", ">=");

    private static final SortKey MODEL_NAME = new SortKey("(rm.name collate \"C\")", true, "text");
    private static final SortKey MODEL_UPDATED = new SortKey("rm.last_updated_timestamp", true, "int8");
    private static final String VERSION_NAME = "(rm.name collate \"C\")";

    private final List<String> where = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    private RegistrySearchSql() {
    }

    /** registered-models/search's order_by: name, timestamp or last_updated_timestamp; then name. */
    public static Ordering modelOrdering(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            SearchFilter.OrderBy order = SearchFilter.parseOrderBy(clause);
            String key = order.key();
            SortKey column;
            if (order.type() == EntityType.ATTRIBUTE && key.equals("name")) {
                column = MODEL_NAME;
            } else if (order.type() == EntityType.ATTRIBUTE
                    && (key.equals("timestamp") || key.equals("last_updated_timestamp"))) {
                column = MODEL_UPDATED;
            } else {
                throw MlflowException.invalidParameter("Invalid order by key '" + key + "' specified. Valid keys are "
                        + "'{'name', 'timestamp'}'");
            }
            if (!seen.add(column.expression())) {
                throw duplicate(orderBy);
            }
            keys.add(new SortKey(column.expression(), order.ascending(), column.cast()));
        }
        if (!seen.contains(MODEL_NAME.expression())) {
            keys.add(MODEL_NAME);
        }
        return new Ordering(keys);
    }

    /**
     * model-versions/search's order_by: name, version_number, creation_timestamp, last_updated_timestamp; by default
     * the most recently changed first. Then name ascending and version descending, as MLflow appends them.
     */
    public static Ordering versionOrdering(List<String> orderBy) {
        List<String> clauses = orderBy == null || orderBy.isEmpty()
                ? List.of("last_updated_timestamp DESC", "name ASC", "version_number DESC") : orderBy;
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String clause : clauses) {
            SearchFilter.OrderBy order = SearchFilter.parseOrderBy(clause);
            String expression;
            String cast;
            switch (order.type() == EntityType.ATTRIBUTE ? order.key() : "") {
                case "name" -> {
                    expression = VERSION_NAME;
                    cast = "text";
                }
                case "version_number" -> {
                    expression = "mv.version";
                    cast = "int";
                }
                case "creation_timestamp" -> {
                    expression = "mv.creation_timestamp";
                    cast = "int8";
                }
                case "last_updated_timestamp" -> {
                    expression = "mv.last_updated_timestamp";
                    cast = "int8";
                }
                default -> throw MlflowException.invalidParameter("Invalid attribute key '" + order.key()
                        + "' specified. Valid keys are '{'last_updated_timestamp', 'creation_timestamp', "
                        + "'version_number', 'name'}'");
            }
            if (!seen.add(expression)) {
                throw duplicate(orderBy);
            }
            keys.add(new SortKey(expression, order.ascending(), cast));
        }
        if (!seen.contains(VERSION_NAME)) {
            keys.add(new SortKey(VERSION_NAME, true, "text"));
        }
        if (!seen.contains("mv.version")) {
            keys.add(new SortKey("mv.version", false, "int"));
        }
        return new Ordering(keys);
    }

    /**
     * @param after the sort-key values of the previous page's last row, or null for the first page
     * @param rows  how many rows to fetch
     */
    public static Query models(String filter, Ordering ordering, List<Object> after, int rows) {
        RegistrySearchSql sql = new RegistrySearchSql();
        List<Comparison> comparisons = SearchFilter.parse(filter, ENTITIES);
        for (Comparison c : withoutPromptTag(comparisons)) {
            if (c.type() == EntityType.ATTRIBUTE) {
                if (!c.key().equals("name")) {
                    throw MlflowException.invalidParameter("Invalid attribute key '" + c.key() + "' specified. "
                            + "Valid keys are '{'name'}'");
                }
                sql.where.add(sql.stringComparison("rm.name", c));
            } else {
                sql.where.add(sql.tagComparison("registered_model_tags t", "t.model_id = rm.id", c));
            }
        }
        if (!queriesPrompts(comparisons)) {
            sql.where.add("not exists (select 1 from registered_model_tags p where p.model_id = rm.id and p.key = "
                    + sql.bind(RegistryRules.PROMPT_TAG) + " and p.value = 'true')");
        }
        return sql.build("select " + RegisteredModelRepository.COLUMNS, " from registered_models rm", ordering, after,
                rows);
    }

    public static Query versions(String filter, Ordering ordering, List<Object> after, int rows) {
        RegistrySearchSql sql = new RegistrySearchSql();
        List<Comparison> comparisons = SearchFilter.parse(filter, ENTITIES);
        for (Comparison c : withoutPromptTag(comparisons)) {
            if (c.type() == EntityType.ATTRIBUTE) {
                sql.where.add(sql.versionAttribute(c));
            } else {
                sql.where.add(sql.tagComparison("model_version_tags t",
                        "t.model_id = mv.model_id and t.version = mv.version", c));
            }
        }
        if (!queriesPrompts(comparisons)) {
            // As MLflow: a model any of whose versions is tagged a prompt is one.
            sql.where.add("not exists (select 1 from model_version_tags p where p.model_id = mv.model_id and p.key = "
                    + sql.bind(RegistryRules.PROMPT_TAG) + " and p.value = 'true')");
        }
        return sql.build("select " + ModelVersionRepository.COLUMNS,
                " from model_versions mv join registered_models rm on rm.id = mv.model_id", ordering, after, rows);
    }

    private Query build(String select, String from, Ordering ordering, List<Object> after, int rows) {
        List<SortKey> keys = ordering.keys();
        if (after != null) {
            where.add(SortKey.after(keys, after, this::bind));
        }
        StringBuilder text = new StringBuilder(select);
        keys.forEach(key -> text.append(", ").append(key.expression()));
        text.append(from);
        if (!where.isEmpty()) {
            text.append(" where ").append(String.join(" and ", where));
        }
        text.append(" order by ").append(String.join(", ", keys.stream()
                .map(key -> key.expression() + (key.ascending() ? " asc" : " desc")).toList()));
        text.append(" limit ").append(bind((long) rows));
        return new Query(text.toString(), args, keys.size());
    }

    private String versionAttribute(Comparison c) {
        String op = c.comparator();
        switch (c.key()) {
            case "version_number" -> {
                if (!NUMERIC_COMPARATORS.contains(op)) {
                    throw MlflowException.invalidParameter("Invalid comparator for attribute version_number: " + op);
                }
                double number;
                try {
                    number = c.value() instanceof Double d ? d : Double.parseDouble(String.valueOf(c.value()));
                } catch (NumberFormatException e) {
                    throw MlflowException.invalidParameter("Expected a numeric value for version_number. Got value "
                            + c.value());
                }
                return "mv.version " + SqlOperators.of(op) + " " + bind(number) + "::float8";
            }
            case "name" -> {
                return stringComparison("rm.name", c);
            }
            case "source_path" -> {
                return stringComparison("mv.source", c);
            }
            case "run_id" -> {
                if (op.equals("IN")) {
                    String[] runIds = ((List<?>) c.value()).stream().map(String::valueOf).toArray(String[]::new);
                    String list = bind(runIds);
                    return "md5(mv.run_id) = any(array(select md5(r) from unnest(" + list + "::text[]) as r)) "
                            + "and mv.run_id = any(" + list + "::text[])";
                }
                if (op.equals("=")) {
                    String value = bind(quoted(c));
                    return "md5(mv.run_id) = md5(" + value + ") and mv.run_id = " + value;
                }
                return stringComparison("mv.run_id", c);
            }
            default -> throw MlflowException.invalidParameter("Invalid attribute key '" + c.key() + "' specified. "
                    + "Valid keys are '{'run_id', 'source_path', 'version_number', 'name'}'");
        }
    }

    private String stringComparison(String column, Comparison c) {
        if (c.value() instanceof List<?>) {
            throw MlflowException.invalidParameter("Only the 'run_id' attribute supports comparison with a list of "
                    + "quoted string values.");
        }
        if (!STRING_COMPARATORS.contains(c.comparator())) {
            throw MlflowException.invalidParameter("Invalid comparator for attribute: " + c.comparator());
        }
        String value = quoted(c);
        if (column.equals("rm.name")) {
            return ValuePrefix.compare(column, c.comparator(), value, this::bind);
        }
        return column + " " + SqlOperators.of(c.comparator()) + " " + bind(value);
    }

    private String tagComparison(String table, String join, Comparison c) {
        if (!STRING_COMPARATORS.contains(c.comparator())) {
            throw MlflowException.invalidParameter("Invalid comparator for tag: " + c.comparator());
        }
        if (!(c.value() instanceof String value)) {
            throw MlflowException.invalidParameter("Expected a quoted string value for tag (e.g. 'my-value'). Got value "
                    + c.value());
        }
        return "exists (select 1 from " + table + " where " + join + " and t.key = " + bind(c.key()) + " and t.value "
                + SqlOperators.of(c.comparator()) + " " + bind(value) + ")";
    }

    private static String quoted(Comparison c) {
        if (!(c.value() instanceof String value)) {
            Object shown = c.value() instanceof Double d && d == Math.rint(d) ? (Object) d.longValue() : c.value();
            throw MlflowException.invalidParameter("Expected a quoted string value or a list of quoted string values "
                    + "for attributes. Got value " + shown);
        }
        return value;
    }

    /**
     * The comparisons to apply. Unless the filter asks for prompts, MLflow drops its comparisons of the prompt tag and
     * leaves prompts out instead: MLflow 3's client adds {@code tags.`mlflow.prompt.is_prompt` != 'true'} to every
     * search, which a model without the tag would fail as a tag comparison.
     */
    private static List<Comparison> withoutPromptTag(List<Comparison> comparisons) {
        if (queriesPrompts(comparisons)) {
            return comparisons;
        }
        return comparisons.stream()
                .filter(c -> c.type() != EntityType.TAG || !c.key().equals(RegistryRules.PROMPT_TAG))
                .toList();
    }

    /** MLflow searches prompts only when the filter asks for them by their tag. */
    private static boolean queriesPrompts(List<Comparison> comparisons) {
        for (Comparison c : comparisons) {
            if (c.type() == EntityType.TAG && c.key().equals(RegistryRules.PROMPT_TAG) && c.value() instanceof String v) {
                return (c.comparator().equals("=") && v.equalsIgnoreCase("true"))
                        || (c.comparator().equals("!=") && v.equalsIgnoreCase("false"));
            }
        }
        return false;
    }

    private static MlflowException duplicate(List<String> orderBy) {
        return MlflowException.invalidParameter("`order_by` contains duplicate fields: " + orderBy.stream()
                .map(clause -> "'" + clause + "'").toList());
    }

    private String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }
}
