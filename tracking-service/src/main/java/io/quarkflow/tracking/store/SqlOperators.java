package io.quarkflow.tracking.store;

/** MLflow's filter comparators as PostgreSQL operators, shared by the run and experiment searches. */
final class SqlOperators {

    private SqlOperators() {
    }

    static String of(String comparator) {
        return switch (comparator) {
            case "!=" -> "<>";
            case "LIKE" -> "like";
            case "ILIKE" -> "ilike";
            default -> comparator;
        };
    }
}
