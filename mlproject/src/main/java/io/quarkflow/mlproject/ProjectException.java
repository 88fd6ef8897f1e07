package io.quarkflow.mlproject;

/**
 * A problem with a project or its parameters. The message is MLflow's wording where MLflow has one (MLflow raises
 * {@code ExecutionException} for these), so a user sees what {@code mlflow run} would have told them.
 */
public class ProjectException extends RuntimeException {

    public ProjectException(String message) {
        super(message);
    }
}
