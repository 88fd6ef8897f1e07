package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkflowRulesTest {

    @Test
    void theWorkflowsParametersAreItsDefaultsWithTheGivenValues() {
        Map<String, String> declared = new LinkedHashMap<>();
        declared.put("alpha", "0.5");
        declared.put("rows", null);
        WorkflowSpec spec = spec(declared, step("a", Map.of("x", "${parameters.alpha}/${parameters.rows}")));
        assertEquals(Map.of("alpha", "0.5", "rows", "10"), WorkflowRules.check(submit(spec, Map.of("rows", "10")),
                "local"));
        assertEquals("No value given for the workflow's parameter 'rows', which has no default.",
                refusal(submit(spec, Map.of())));
        assertEquals("The workflow has no parameter 'beta'.", refusal(submit(spec, Map.of("rows", "1", "beta", "2"))));
    }

    @Test
    void aStepMayReferToTheStepsItWaitsForEvenIndirectly() {
        WorkflowSpec spec = spec(Map.of(), step("a", Map.of()), step("b", Map.of(), "a"),
                step("c", Map.of("x", "${steps.a.artifact_uri} ${steps.b.metrics.m}"), "b"));
        assertEquals(Map.of(), WorkflowRules.check(submit(spec, null), "local"));
        WorkflowSpec beside = spec(Map.of(), step("a", Map.of()), step("b", Map.of("x", "${steps.a.run_id}")));
        assertEquals("Step 'b' refers to ${steps.a.run_id}, a step it does not depend on.",
                refusal(submit(beside, null)));
    }

    @Test
    void dependenciesAreEarlierStepsSoThereIsNoCycle() {
        WorkflowSpec cycle = spec(Map.of(), step("a", Map.of(), "b"), step("b", Map.of(), "a"));
        assertEquals("Step 'a' depends on 'b', which is not a step declared before it.", refusal(submit(cycle, null)));
        WorkflowSpec self = spec(Map.of(), step("a", Map.of(), "a"));
        assertEquals("Step 'a' depends on 'a', which is not a step declared before it.", refusal(submit(self, null)));
    }

    @Test
    void namesProjectsAndBackendsAreChecked() {
        assertEquals("Invalid step name 'a.b': 1 to 100 letters, digits, '_' or '-'.",
                refusal(submit(spec(Map.of(), step("a.b", Map.of())), null)));
        assertEquals("Two steps are named 'a'.",
                refusal(submit(spec(Map.of(), step("a", Map.of()), step("a", Map.of())), null)));
        WorkflowSpec noUri = new WorkflowSpec("w", null, null, null, null, null, null, List.of(step("a", Map.of())));
        assertEquals("Step 'a' has no project: give it a uri, or the workflow one.", refusal(submit(noUri, null)));
        WorkflowSpec badBackend = new WorkflowSpec("w", ".", null, "slurm", null, null, null,
                List.of(step("a", Map.of())));
        assertEquals("Unknown backend 'slurm'. Quarkflow runs projects on kubernetes or local.",
                refusal(submit(badBackend, null)));
        assertEquals("Missing value for required parameter 'workflow'. See the API docs for more information about "
                        + "request parameters.",
                refusal(new SubmitWorkflow(null, null, null, null, null)));
        assertEquals("A workflow needs at least one step.", refusal(submit(spec(Map.of()), null)));
    }

    @Test
    void aStepTakesWhatItLeavesOutFromTheWorkflow() {
        WorkflowSpec spec = new WorkflowSpec("w", "git@x:y.git", "main", "local", Map.of("k", "v"), null, null,
                List.of(step("a", Map.of()), new WorkflowSpec.Step("b", "other.git", null, null, null, "kubernetes",
                        Map.of(), List.of())));
        assertEquals("git@x:y.git", spec.uriOf(spec.step("a")));
        assertEquals("main", spec.versionOf(spec.step("a")));
        assertEquals("local", spec.backendOf(spec.step("a")));
        assertEquals(Map.of("k", "v"), spec.backendConfigOf(spec.step("a")));
        assertEquals("other.git", spec.uriOf(spec.step("b")));
        assertEquals(null, spec.versionOf(spec.step("b")), "another project's version is not the workflow's");
        assertEquals("kubernetes", spec.backendOf(spec.step("b")));
    }

    private static WorkflowSpec spec(Map<String, String> parameters, WorkflowSpec.Step... steps) {
        return new WorkflowSpec("w", ".", null, "local", null, parameters, null, List.of(steps));
    }

    private static WorkflowSpec.Step step(String name, Map<String, String> parameters, String... dependsOn) {
        return new WorkflowSpec.Step(name, null, null, null, parameters, null, null, List.of(dependsOn));
    }

    private static SubmitWorkflow submit(WorkflowSpec spec, Map<String, String> parameters) {
        return new SubmitWorkflow(spec, null, null, null, parameters);
    }

    private static String refusal(SubmitWorkflow request) {
        return assertThrows(MlflowException.class, () -> WorkflowRules.check(request, "local")).getMessage();
    }
}
