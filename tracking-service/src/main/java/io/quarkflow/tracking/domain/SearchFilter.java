package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MLflow's search filter language: comparisons joined by AND, each {@code <type>.<key> <comparator> <value>}
 * or {@code <attribute> <comparator> <value>}. Keys may be quoted with double quotes or backticks, strings
 * with single or double quotes; IN takes a parenthesised list. This parser only builds the syntax tree; which
 * entity prefixes a search knows ({@link Entities}) and what each entity allows is up to the search that uses it.
 */
public final class SearchFilter {

    public enum EntityType { METRIC, PARAM, TAG, ATTRIBUTE, DATASET }

    /** One comparison; value is a String, a Double or a List of Strings (for IN / NOT IN). */
    public record Comparison(EntityType type, String key, String comparator, Object value) {
    }

    /** One order_by clause. */
    public record OrderBy(EntityType type, String key, boolean ascending) {
    }

    private record Identifier(EntityType type, String key) {
    }

    /**
     * The entity prefixes of one search (matched case-insensitively) and its message for any other prefix.
     *
     * @param unknownFormat a format whose one {@code %s} is the prefix
     */
    public record Entities(Map<String, EntityType> byPrefix, String unknownFormat) {
    }

    private static final Map<String, EntityType> TYPE_ALIASES = Map.ofEntries(
            Map.entry("metric", EntityType.METRIC), Map.entry("metrics", EntityType.METRIC),
            Map.entry("param", EntityType.PARAM), Map.entry("params", EntityType.PARAM),
            Map.entry("parameter", EntityType.PARAM), Map.entry("parameters", EntityType.PARAM),
            Map.entry("tag", EntityType.TAG), Map.entry("tags", EntityType.TAG),
            Map.entry("attribute", EntityType.ATTRIBUTE), Map.entry("attributes", EntityType.ATTRIBUTE),
            Map.entry("attr", EntityType.ATTRIBUTE), Map.entry("run", EntityType.ATTRIBUTE),
            Map.entry("dataset", EntityType.DATASET), Map.entry("datasets", EntityType.DATASET));

    /** runs/search's prefixes, MLflow's aliases included (mlflow/utils/search_utils.py). */
    public static final Entities RUN_ENTITIES = new Entities(TYPE_ALIASES,
            "Invalid entity type '%s'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']");

    private final String text;
    private final Entities entities;
    private int pos;

    /** The most comparisons one filter may hold. */
    public static final int MAX_CLAUSES = 50;

    private SearchFilter(String text, Entities entities) {
        this.text = text;
        this.entities = entities;
    }

    /** A runs/search filter. */
    public static List<Comparison> parse(String filter) {
        return parse(filter, RUN_ENTITIES);
    }

    public static List<Comparison> parse(String filter, Entities entities) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new SearchFilter(filter, entities).comparisons();
    }

    private List<Comparison> comparisons() {
        List<Comparison> result = new ArrayList<>();
        do {
            if (result.size() == MAX_CLAUSES) {
                // Each clause is a join; hundreds of them cost PostgreSQL seconds of CPU for one request.
                throw error("Invalid filter string: more than " + MAX_CLAUSES + " clauses joined by AND.");
            }
            result.add(comparison());
            skipSpaces();
        } while (!atEnd() && keyword("AND"));
        if (!atEnd()) {
            throw error("Invalid clause(s) in filter string: unexpected '" + text.substring(pos) + "'");
        }
        return result;
    }

    private Comparison comparison() {
        skipSpaces();
        int start = pos;
        Identifier identifier = identifier();
        String written = text.substring(start, pos).strip();
        String comparator = comparator();
        skipSpaces();
        if (atEnd() && !comparator.endsWith("IN")) {
            // MLflow lists the tokens of the clause it could not complete.
            throw error("Invalid clause(s) in filter string: '" + written + "', '" + comparator + "'");
        }
        Object value = value(comparator);
        if (comparator.endsWith("LIKE") && value instanceof String pattern && endsWithEscape(pattern)) {
            // PostgreSQL refuses such a pattern (a 500 before); it has nothing left to escape.
            throw error("Invalid LIKE pattern '" + pattern + "': it ends with the escape character '\\'");
        }
        return new Comparison(identifier.type(), identifier.key(), comparator, value);
    }

    /** An odd number of backslashes at the end: the last one escapes nothing. */
    private static boolean endsWithEscape(String pattern) {
        int backslashes = 0;
        for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** One order_by clause: {@code <identifier> [ASC|DESC]}, ascending when no direction is given. */
    public static OrderBy parseOrderBy(String clause) {
        if (clause == null || clause.isBlank()) {
            throw unparsable(clause);
        }
        SearchFilter parser = new SearchFilter(clause, RUN_ENTITIES);
        Identifier identifier = parser.identifier();
        boolean ascending = true;
        boolean directed = true;
        if (parser.keyword("DESC")) {
            ascending = false;
        } else {
            directed = parser.keyword("ASC");
        }
        parser.skipSpaces();
        if (!parser.atEnd()) {
            // MLflow's two messages: a second word that is no direction, or anything more.
            boolean oneWordMore = !directed && !parser.text.substring(parser.pos).strip().contains(" ");
            throw oneWordMore
                    ? MlflowException.invalidParameter("Invalid ordering key in order_by clause '" + clause + "'.")
                    : unparsable(clause);
        }
        return new OrderBy(identifier.type(), identifier.key(), ascending);
    }

    private static MlflowException unparsable(String clause) {
        return MlflowException.invalidParameter("Invalid order_by clause '" + clause + "'. Could not be parsed.");
    }

    private Identifier identifier() {
        skipSpaces();
        EntityType type = EntityType.ATTRIBUTE;
        String key;
        if (peekQuote()) {
            key = quoted();
            if (!atEnd() && text.charAt(pos) == '.') {
                // A quoted entity type, e.g. `metrics`.`acc`, as MLflow accepts.
                type = entityType(key);
                pos++;
                key = peekQuote() ? quoted() : word();
            }
        } else {
            String word = word();
            if (word.isEmpty()) {
                throw error("Invalid clause(s) in filter string: expected an identifier at position " + pos);
            }
            int dot = word.indexOf('.');
            if (dot < 0) {
                key = word;
            } else {
                type = entityType(word.substring(0, dot));
                String rest = word.substring(dot + 1);
                key = rest.isEmpty() && peekQuote() ? quoted() : rest;
            }
        }
        if (key.isEmpty()) {
            throw error("Invalid identifier: the key is empty");
        }
        return new Identifier(type, key);
    }

    private EntityType entityType(String prefix) {
        EntityType type = entities.byPrefix().get(prefix.toLowerCase(Locale.ROOT));
        if (type == null) {
            throw error(String.format(entities.unknownFormat(), prefix));
        }
        return type;
    }

    private String comparator() {
        skipSpaces();
        for (String symbol : List.of("!=", "<=", ">=", "=", "<", ">")) {
            if (text.startsWith(symbol, pos)) {
                pos += symbol.length();
                return symbol;
            }
        }
        if (keyword("LIKE")) {
            return "LIKE";
        }
        if (keyword("ILIKE")) {
            return "ILIKE";
        }
        if (keyword("IN")) {
            return "IN";
        }
        if (keyword("NOT")) {
            if (keyword("IN")) {
                return "NOT IN";
            }
            throw error("Invalid comparator 'NOT': expected 'NOT IN'");
        }
        throw error("Invalid clause(s) in filter string: expected a comparator at position " + pos);
    }

    private Object value(String comparator) {
        skipSpaces();
        if (comparator.endsWith("IN")) {
            return list();
        }
        if (atEnd()) {
            throw error("Invalid clause(s) in filter string: missing value after '" + comparator + "'");
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return quoted();
        }
        String word = word();
        try {
            return Double.valueOf(word);
        } catch (NumberFormatException e) {
            throw error("Invalid value '" + word + "': expected a quoted string or a number");
        }
    }

    private List<String> list() {
        if (atEnd() || text.charAt(pos) != '(') {
            throw error("While parsing a list in the query, expected a parenthesised list of quoted strings");
        }
        pos++;
        List<String> values = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (atEnd() || (text.charAt(pos) != '\'' && text.charAt(pos) != '"')) {
                throw error("While parsing a list in the query, expected string value, punctuation, or whitespace");
            }
            values.add(quoted());
            skipSpaces();
            if (!atEnd() && text.charAt(pos) == ',') {
                pos++;
            } else if (!atEnd() && text.charAt(pos) == ')') {
                pos++;
                return values;
            } else {
                throw error("While parsing a list in the query, expected ',' or ')'");
            }
        }
    }

    /** A quoted key or string; a doubled quote character stands for itself, as in SQL. */
    private String quoted() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) {
                    out.append(quote);
                    pos++;
                    continue;
                }
                return out.toString();
            }
            out.append(c);
        }
        throw error("Invalid clause(s) in filter string: unterminated quote starting with " + quote);
    }

    private String word() {
        int start = pos;
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') {
                pos++;
            } else {
                break;
            }
        }
        return text.substring(start, pos);
    }

    private boolean keyword(String keyword) {
        skipSpaces();
        int end = pos + keyword.length();
        if (text.regionMatches(true, pos, keyword, 0, keyword.length())
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean peekQuote() {
        return !atEnd() && (text.charAt(pos) == '"' || text.charAt(pos) == '`');
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private MlflowException error(String message) {
        return MlflowException.invalidParameter(message);
    }
}
