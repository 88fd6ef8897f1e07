package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a submission must satisfy before anything is fetched or created; MLflow's wording where it has one. */
public final class SubmissionRules {

    public static final String KUBERNETES = "kubernetes";
    public static final String LOCAL = "local";
    public static final List<String> BACKENDS = List.of(KUBERNETES, LOCAL);
    /** MLflow's terminal run statuses: a run in one of them cannot be cancelled any more. */
    public static final List<String> TERMINAL = List.of("FINISHED", "FAILED", "KILLED");

    /** A Kubernetes namespace is a DNS-1123 label. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final int MAX_PARAMETERS = 100;

    private SubmissionRules() {
    }

    public static String backend(String backend, String defaultBackend) {
        String chosen = backend == null || backend.isEmpty() ? defaultBackend : backend;
        if (!BACKENDS.contains(chosen)) {
            throw MlflowException.invalidParameter("Unknown backend '" + chosen + "'. Quarkflow runs projects on "
                    + String.join(" or ", BACKENDS) + ".");
        }
        return chosen;
    }

    /** MLflow's CLI refuses both; naming neither means the Default experiment. */
    public static void experiment(String experimentId, String experimentName) {
        if (experimentId != null && experimentName != null) {
            throw MlflowException.invalidParameter("Specify only one of 'experiment_name' or 'experiment_id'.");
        }
    }

    /** Parameters are MLflow's run params: at most 100 per submission, names as MLflow allows them. */
    public static void parameters(Map<String, String> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            throw MlflowException.invalidParameter("A project run takes at most " + MAX_PARAMETERS
                    + " parameters, got " + parameters.size() + ".");
        }
        parameters.forEach((name, value) -> {
            if (name.isEmpty() || value == null) {
                throw MlflowException.invalidParameter("Parameter '" + name + "' needs a name and a value.");
            }
        });
    }

    /** The settings the launcher reads; anything else in the config is passed along untouched. */
    public static void backendConfig(String backend, Map<String, Object> config) {
        Object namespace = config.get("namespace");
        if (namespace != null && !(namespace instanceof String name && NAMESPACE.matcher(name).matches())) {
            throw MlflowException.invalidValue("backend_config.namespace", namespace,
                    "a Kubernetes namespace is a DNS-1123 label");
        }
        Object template = config.get("kube-job-template");
        if (template != null && !(template instanceof String)) {
            throw MlflowException.invalidValue("backend_config.kube-job-template", template,
                    "the Job template is YAML text");
        }
        if (LOCAL.equals(backend) && (namespace != null || template != null)) {
            throw MlflowException.invalidParameter("backend_config names Kubernetes settings but the backend is 'local'.");
        }
    }
}
