package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a workflow must satisfy before anything is created: named steps, dependencies on earlier steps only (so no
 * cycle), references only to the steps a step waits for and to declared parameters, and the backends the
 * submissions of its steps would need.
 */
public final class WorkflowRules {

    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final int MAX_STEPS = 100;

    private WorkflowRules() {
    }

    /** Checks the submission; returns the workflow's parameters: the defaults with the submission's values. */
    public static Map<String, String> check(SubmitWorkflow request, String defaultBackend) {
        WorkflowSpec spec = request.workflow();
        if (spec == null) {
            throw MlflowException.missing("workflow");
        }
        if (spec.name() == null || spec.name().isBlank()) {
            throw MlflowException.missing("workflow.name");
        }
        if (spec.steps() == null || spec.steps().isEmpty()) {
            throw MlflowException.invalidParameter("A workflow needs at least one step.");
        }
        if (spec.steps().size() > MAX_STEPS) {
            throw MlflowException.invalidParameter("A workflow has at most " + MAX_STEPS + " steps, got "
                    + spec.steps().size() + ".");
        }
        SubmissionRules.experiment(request.experimentId(), request.experimentName());
        Map<String, String> parameters = parameters(spec, request.parameters());
        Map<String, Set<String>> upstream = new HashMap<>();
        for (WorkflowSpec.Step step : spec.steps()) {
            checkStep(spec, step, upstream, parameters, defaultBackend);
        }
        return parameters;
    }

    private static Map<String, String> parameters(WorkflowSpec spec, Map<String, String> given) {
        Map<String, String> declared = spec.parameters() == null ? Map.of() : spec.parameters();
        Map<String, String> values = given == null ? Map.of() : given;
        for (String name : values.keySet()) {
            if (!declared.containsKey(name)) {
                throw MlflowException.invalidParameter("The workflow has no parameter '" + name + "'.");
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        declared.forEach((name, value) -> {
            String chosen = values.getOrDefault(name, value);
            if (chosen == null) {
                throw MlflowException.invalidParameter("No value given for the workflow's parameter '" + name
                        + "', which has no default.");
            }
            resolved.put(name, chosen);
        });
        return resolved;
    }

    private static void checkStep(WorkflowSpec spec, WorkflowSpec.Step step, Map<String, Set<String>> upstream,
                                  Map<String, String> parameters, String defaultBackend) {
        if (step == null || step.name() == null || !STEP_NAME.matcher(step.name()).matches()) {
            throw MlflowException.invalidParameter("Invalid step name '" + (step == null ? null : step.name())
                    + "': 1 to 100 letters, digits, '_' or '-'.");
        }
        if (upstream.containsKey(step.name())) {
            throw MlflowException.invalidParameter("Two steps are named '" + step.name() + "'.");
        }
        String uri = spec.uriOf(step);
        if (uri == null || uri.isEmpty()) {
            throw MlflowException.invalidParameter("Step '" + step.name() + "' has no project: give it a uri, "
                    + "or the workflow one.");
        }
        Set<String> ancestors = new HashSet<>();
        for (String dependency : step.dependencies()) {
            Set<String> theirs = upstream.get(dependency);
            if (theirs == null) {
                throw MlflowException.invalidParameter("Step '" + step.name() + "' depends on '" + dependency
                        + "', which is not a step declared before it.");
            }
            ancestors.add(dependency);
            ancestors.addAll(theirs);
        }
        step.parameterTemplates().forEach((name, template) -> {
            if (name.isEmpty() || template == null) {
                throw MlflowException.invalidParameter("Parameter '" + name + "' of step '" + step.name()
                        + "' needs a name and a value.");
            }
            for (StepReference reference : StepReference.in(template)) {
                if (reference.step() == null ? !parameters.containsKey(reference.key())
                        : !ancestors.contains(reference.step())) {
                    throw MlflowException.invalidParameter("Step '" + step.name() + "' refers to " + reference
                            + (reference.step() == null ? ", which the workflow does not declare."
                            : ", a step it does not depend on."));
                }
            }
        });
        String backend = SubmissionRules.backend(spec.backendOf(step), defaultBackend);
        SubmissionRules.backendConfig(backend, spec.backendConfigOf(step));
        upstream.put(step.name(), ancestors);
    }

    /** The steps in declaration order; dependencies are always earlier ones. */
    public static List<String> names(WorkflowSpec spec) {
        return spec.steps().stream().map(WorkflowSpec.Step::name).toList();
    }
}
