package io.quarkflow.projects.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a workflow does next, given its steps' statuses: which pending steps start (all their dependencies
 * FINISHED), which are skipped (a dependency failed, was killed or skipped, or the workflow is being cancelled),
 * and, once no step is left to wait for, how the workflow ends: FINISHED when every step did, KILLED when it was
 * cancelled, else FAILED.
 *
 * @param end null while the workflow goes on
 */
public record WorkflowPlan(List<String> start, List<String> skip, String end) {

    public static final String PENDING = "PENDING";
    public static final String STARTING = "STARTING";
    public static final String FINISHED = "FINISHED";
    public static final String SKIPPED = "SKIPPED";
    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";
    public static final String KILLED = "KILLED";
    private static final Set<String> DID_NOT_FINISH = Set.of(FAILED, KILLED, SKIPPED);
    private static final Set<String> ENDED = Set.of(FINISHED, FAILED, KILLED, SKIPPED);

    /** @param statuses every step's status, by name */
    public static WorkflowPlan next(WorkflowSpec spec, Map<String, String> statuses, boolean cancelling) {
        Map<String, String> after = new LinkedHashMap<>(statuses);
        List<String> start = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        for (WorkflowSpec.Step step : spec.steps()) { // dependencies come first
            if (!PENDING.equals(after.get(step.name()))) {
                continue;
            }
            List<String> dependencies = step.dependencies().stream().map(after::get).toList();
            if (cancelling || dependencies.stream().anyMatch(DID_NOT_FINISH::contains)) {
                skip.add(step.name());
                after.put(step.name(), SKIPPED);
            } else if (dependencies.stream().allMatch(FINISHED::equals)) {
                start.add(step.name());
                after.put(step.name(), STARTING);
            }
        }
        String end = null;
        if (after.values().stream().allMatch(ENDED::contains)) {
            end = after.values().stream().allMatch(FINISHED::equals) ? FINISHED : cancelling ? KILLED : FAILED;
        }
        return new WorkflowPlan(start, skip, end);
    }

    public static boolean ended(String status) {
        return ENDED.contains(status);
    }
}
