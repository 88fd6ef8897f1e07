package io.quarkflow.projects.domain;

import java.util.List;
import java.util.Map;

/**
 * A workflow as its file declares it: steps that are project runs, each started once the steps it depends on have
 * finished. What a step leaves out it takes from the workflow ({@code uri}, {@code version}, {@code backend},
 * {@code backend_config}). Parameter values may refer to earlier steps and to the workflow's parameters
 * ({@link StepReference}).
 *
 * @param parameters the workflow's parameters and their defaults; a null default makes one required
 * @param reuse      false to run every step anew; by default a step reuses a FINISHED run of the same project
 *                   version, entry point and parameters in the experiment
 */
public record WorkflowSpec(
        String name,
        String uri,
        String version,
        String backend,
        Map<String, Object> backendConfig,
        Map<String, String> parameters,
        Boolean reuse,
        List<Step> steps) {

    /** One project run of the workflow; {@code dependsOn} names earlier steps. */
    public record Step(
            String name,
            String uri,
            String version,
            String entryPoint,
            Map<String, String> parameters,
            String backend,
            Map<String, Object> backendConfig,
            List<String> dependsOn) {

        public List<String> dependencies() {
            return dependsOn == null ? List.of() : dependsOn;
        }

        public Map<String, String> parameterTemplates() {
            return parameters == null ? Map.of() : parameters;
        }
    }

    /** The step's project: its own URI, else the workflow's; likewise the others below. */
    public String uriOf(Step step) {
        return step.uri() != null && !step.uri().isEmpty() ? step.uri() : uri;
    }

    public String versionOf(Step step) {
        return step.uri() != null && !step.uri().isEmpty() ? step.version() : step.version() != null ? step.version()
                : version;
    }

    public String backendOf(Step step) {
        return step.backend() != null ? step.backend() : backend;
    }

    public Map<String, Object> backendConfigOf(Step step) {
        return step.backendConfig() != null ? step.backendConfig() : backendConfig == null ? Map.of() : backendConfig;
    }

    public Step step(String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst().orElseThrow();
    }
}
