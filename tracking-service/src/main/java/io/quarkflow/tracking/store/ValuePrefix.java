package io.quarkflow.tracking.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the value indexes of params, tags and logged model names hold (migration V7): the first {@value #LENGTH}
 * characters of a value in "C" collation, since a btree entry cannot hold the values MLflow accepts (up to 8,000
 * random characters). A comparison goes through the prefix, which an index answers, and then checks the whole value.
 */
final class ValuePrefix {

    /** Characters of a value the indexes hold: at most 1 kB in UTF-8, beside a key of at most 250 characters. */
    static final int LENGTH = 256;

    private ValuePrefix() {
    }

    /** The indexed expression over a column, spelled as the indexes define it so that the planner matches them. */
    static String of(String column) {
        return "left(" + column + ", " + LENGTH + ") collate \"C\"";
    }

    /**
     * A string comparison of a value column: {@code =} and {@code LIKE 'literal...'} narrow the index range by the
     * prefix first; {@code !=}, {@code ILIKE} and patterns that start with a wildcard filter the (experiment, key)
     * range of the index.
     *
     * @param bind binds a value and answers its placeholder
     */
    static String compare(String column, String comparator, String value, Function<Object, String> bind) {
        String whole = column + " collate \"C\" " + SqlOperators.of(comparator) + " ";
        if (comparator.equals("=")) {
            String placeholder = bind.apply(value);
            return of(column) + " = left(" + placeholder + ", " + LENGTH + ") and " + whole + placeholder;
        }
        if (!comparator.equals("LIKE")) {
            return whole + bind.apply(value);
        }
        List<String> terms = new ArrayList<>();
        String literal = likeLiteral(value);
        if (!literal.isEmpty()) {
            terms.add(of(column) + " >= " + bind.apply(literal));
            String after = successor(literal);
            if (after != null) {
                terms.add(of(column) + " < " + bind.apply(after));
            }
        }
        terms.add(whole + bind.apply(value));
        return String.join(" and ", terms);
    }

    /**
     * The characters every value matching a LIKE pattern starts with, at most {@value #LENGTH} of them: those before
     * the first unescaped {@code %} or {@code _}, a backslash escaping the next one (PostgreSQL's default).
     */
    static String likeLiteral(String pattern) {
        StringBuilder literal = new StringBuilder();
        int count = 0;
        int i = 0;
        while (i < pattern.length() && count < LENGTH) {
            int c = pattern.codePointAt(i);
            if (c == '%' || c == '_') {
                break;
            }
            if (c == '\\') {
                if (i + 1 == pattern.length()) {
                    break;
                }
                i++;
                c = pattern.codePointAt(i);
            }
            literal.appendCodePoint(c);
            count++;
            i += Character.charCount(c);
        }
        return literal.toString();
    }

    /**
     * The least string above every string that starts with {@code prefix}, in code point order (which is the byte
     * order of UTF-8, collation "C"); null when there is none.
     */
    static String successor(String prefix) {
        int[] codePoints = prefix.codePoints().toArray();
        for (int i = codePoints.length - 1; i >= 0; i--) {
            int next = codePoints[i] == Character.MIN_SURROGATE - 1 ? Character.MAX_SURROGATE + 1 : codePoints[i] + 1;
            if (next <= Character.MAX_CODE_POINT) {
                return new String(codePoints, 0, i) + Character.toString(next);
            }
        }
        return null;
    }
}
