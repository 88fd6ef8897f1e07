package io.quarkflow.projects.domain;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WorkflowPlanTest {

    /** a → b → d, a → c; e alone. */
    private static final WorkflowSpec SPEC = new WorkflowSpec("w", ".", null, null, null, null, null, List.of(
            step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"), step("e")));

    @Test
    void stepsWithoutDependenciesStartFirst() {
        WorkflowPlan plan = WorkflowPlan.next(SPEC, statuses("PENDING", "PENDING", "PENDING", "PENDING", "PENDING"),
                false);
        assertEquals(List.of("a", "e"), plan.start());
        assertEquals(List.of(), plan.skip());
        assertNull(plan.end());
    }

    @Test
    void aStepStartsOnlyWhenAllItsDependenciesFinished() {
        WorkflowPlan plan = WorkflowPlan.next(SPEC, statuses("FINISHED", "FINISHED", "RUNNING", "PENDING", "RUNNING"),
                false);
        assertEquals(List.of(), plan.start(), "d waits for c");
        plan = WorkflowPlan.next(SPEC, statuses("FINISHED", "FINISHED", "FINISHED", "PENDING", "RUNNING"), false);
        assertEquals(List.of("d"), plan.start());
        assertNull(plan.end(), "e still runs");
    }

    @Test
    void nothingStartsTwice() {
        WorkflowPlan plan = WorkflowPlan.next(SPEC, statuses("FINISHED", "STARTING", "SCHEDULED", "PENDING", "FINISHED"),
                false);
        assertEquals(List.of(), plan.start());
        assertNull(plan.end());
    }

    @Test
    void aFailureSkipsEverythingDownstreamAndTheWorkflowFailsOnceTheRestEnded() {
        WorkflowPlan plan = WorkflowPlan.next(SPEC, statuses("FINISHED", "FAILED", "PENDING", "PENDING", "RUNNING"),
                false);
        assertEquals(List.of("c"), plan.start(), "c does not depend on b");
        assertEquals(List.of("d"), plan.skip());
        assertNull(plan.end());
        plan = WorkflowPlan.next(SPEC, statuses("FAILED", "PENDING", "PENDING", "PENDING", "FINISHED"), false);
        assertEquals(List.of("b", "c", "d"), plan.skip(), "skipped transitively");
        assertEquals("FAILED", plan.end());
    }

    @Test
    void everyStepFinishedFinishesTheWorkflow() {
        assertEquals("FINISHED", WorkflowPlan.next(SPEC,
                statuses("FINISHED", "FINISHED", "FINISHED", "FINISHED", "FINISHED"), false).end());
    }

    @Test
    void cancellingSkipsPendingStepsAndEndsKilledOnceTheRunningOnesStopped() {
        WorkflowPlan plan = WorkflowPlan.next(SPEC, statuses("FINISHED", "RUNNING", "PENDING", "PENDING", "FINISHED"),
                true);
        assertEquals(List.of(), plan.start());
        assertEquals(List.of("c", "d"), plan.skip());
        assertNull(plan.end(), "b is still running");
        plan = WorkflowPlan.next(SPEC, statuses("FINISHED", "KILLED", "SKIPPED", "SKIPPED", "FINISHED"), true);
        assertEquals("KILLED", plan.end());
    }

    private static WorkflowSpec.Step step(String name, String... dependsOn) {
        return new WorkflowSpec.Step(name, null, null, null, null, null, null, List.of(dependsOn));
    }

    private static Map<String, String> statuses(String... statuses) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < statuses.length; i++) {
            byName.put(String.valueOf((char) ('a' + i)), statuses[i]);
        }
        return byName;
    }
}
