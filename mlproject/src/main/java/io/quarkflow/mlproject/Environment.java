package io.quarkflow.mlproject;

import java.util.List;
import java.util.Objects;

/**
 * The environment an MLproject asks for: exactly one of {@code docker_env}, {@code python_env} and
 * {@code conda_env}, else MLflow's conventions ({@code python_env.yaml}, then {@code conda.yaml} in the project
 * directory, else none).
 */
public sealed interface Environment
        permits Environment.Docker, Environment.Python, Environment.Conda, Environment.Local {

    /** The value MLflow writes to the tag {@code mlflow.project.env}: docker, virtualenv, conda, local. */
    String tagValue();

    /**
     * {@code docker_env}: the image and, for MLflow's local Docker backend, {@code docker run -v} volumes
     * ({@code "/host:/container"}) and {@code -e} variables. MLflow's Kubernetes backend ignores volumes and
     * environment.
     */
    record Docker(String image, List<String> volumes, List<EnvVar> environment) implements Environment {

        public Docker {
            Objects.requireNonNull(image, "image");
            volumes = List.copyOf(volumes);
            environment = List.copyOf(environment);
        }

        @Override
        public String tagValue() {
            return "docker";
        }
    }

    /**
     * A variable of {@code docker_env.environment}: {@code [NAME, value]} sets it, a bare {@code NAME} copies it.
     *
     * @param value null means "copy this variable from the launcher's environment" (MLflow's bare-name form; MLflow
     *              fails the run when the launcher does not have it)
     */
    record EnvVar(String name, String value) {

        public EnvVar {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code python_env}: a file path relative to the project directory, inside it. */
    record Python(String file) implements Environment {

        public Python {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String tagValue() {
            return "virtualenv";
        }
    }

    /** {@code conda_env}: a file path relative to the project directory, inside it. */
    record Conda(String file) implements Environment {

        public Conda {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String tagValue() {
            return "conda";
        }
    }

    /** No environment file: the command runs in the image or interpreter as it is. */
    record Local() implements Environment {

        @Override
        public String tagValue() {
            return "local";
        }
    }
}
