package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;

/** MLflow's bounds on max_results for searches. */
public final class MaxResults {

    public static final int SEARCH_DEFAULT = 1000;
    public static final int SEARCH_MAX = 50000;

    private MaxResults() {
    }

    public static int forSearch(Long requested) {
        if (requested == null) {
            return SEARCH_DEFAULT;
        }
        if (requested < 1) {
            throw MlflowException.invalidParameter("Invalid value for request parameter max_results. It must be a "
                    + "positive integer, but got " + requested);
        }
        if (requested > SEARCH_MAX) {
            throw MlflowException.invalidParameter("Invalid value for request parameter max_results. It must be at "
                    + "most " + SEARCH_MAX + ", but got value " + requested);
        }
        return requested.intValue();
    }
}
