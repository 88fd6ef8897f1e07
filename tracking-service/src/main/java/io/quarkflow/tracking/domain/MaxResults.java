package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;

/** MLflow's bounds on max_results for searches. */
public final class MaxResults {

    public static final int SEARCH_DEFAULT = 1000;
    public static final int SEARCH_MAX = 50000;

    private MaxResults() {
    }

    /** As MLflow's SQL store words it (experiments/search, logged-models/search). */
    public static int forSearch(Long requested) {
        if (requested == null) {
            return SEARCH_DEFAULT;
        }
        if (requested < 1) {
            throw MlflowException.invalidParameter("Invalid value " + requested + " for parameter 'max_results' "
                    + "supplied. It must be a positive integer");
        }
        if (requested > SEARCH_MAX) {
            throw MlflowException.invalidParameter("Invalid value " + requested + " for parameter 'max_results' "
                    + "supplied. It must be at most " + SEARCH_MAX);
        }
        return requested.intValue();
    }

    /**
     * runs/search: MLflow's request schema refuses more than the maximum before its store sees it, with the generic
     * message of its type checks (mlflow/server/handlers.py, _validate_param_against_schema).
     */
    public static int forRunSearch(Long requested) {
        if (requested != null && requested > SEARCH_MAX) {
            throw MlflowException.invalidParameter("Invalid value " + requested + " for parameter 'max_results' "
                    + "supplied:  Hint: Value was of type 'int'. See the API docs for more information about request "
                    + "parameters.");
        }
        return forSearch(requested);
    }

    /**
     * The registry's searches: its request schemas refuse more than {@code max} with the generic message of their
     * type checks (which says 'str' there), and its store refuses less than one.
     */
    public static int forRegistrySearch(Long requested, int byDefault, int max) {
        if (requested == null) {
            return byDefault;
        }
        if (requested > max) {
            throw MlflowException.invalidParameter("Invalid value \"" + requested + "\" for parameter 'max_results' "
                    + "supplied:  Hint: Value was of type 'str'. See the API docs for more information about request "
                    + "parameters.");
        }
        if (requested < 1) {
            throw MlflowException.invalidParameter("Invalid value for max_results. It must be a positive integer, but "
                    + "got " + requested);
        }
        return requested.intValue();
    }
}
