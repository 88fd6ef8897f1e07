package io.quarkflow.projects.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.projects.domain.PagePosition;
import io.quarkflow.projects.domain.WorkflowPlan;
import io.quarkflow.projects.domain.WorkflowRun;
import io.quarkflow.projects.domain.WorkflowRun.StepRun;
import io.quarkflow.projects.domain.WorkflowSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for projects.workflows and projects.workflow_steps. */
@ApplicationScoped
public class WorkflowRepository {

    private static final String COLUMNS = "workflow_id, experiment_id, spec, parameters, status, submitted_by, "
            + "submitted_at, ended_at, cancel_requested_at";
    private static final String STEP_COLUMNS = "workflow_id, name, status, run_id, reused, parameters, "
            + "failure_reason, claimed_at";
    private static final String NOT_ENDED = "status not in ('FINISHED', 'FAILED', 'KILLED', 'SKIPPED')";

    /** A step of a workflow. */
    public record StepKey(String workflowId, String name) {
    }

    private final ObjectMapper json;

    public WorkflowRepository(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> insert(SqlClient client, WorkflowRun workflow) {
        List<Tuple> steps = new ArrayList<>();
        for (int position = 0; position < workflow.steps().size(); position++) {
            steps.add(Tuple.of(workflow.workflowId(), workflow.steps().get(position).name(), position,
                    WorkflowPlan.PENDING));
        }
        return client.preparedQuery("insert into projects.workflows (workflow_id, name, experiment_id, spec, "
                        + "parameters, status, submitted_by, submitted_at) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(Arrays.asList(workflow.workflowId(), workflow.spec().name(),
                        workflow.experimentId(), jsonObject(workflow.spec()),
                        new JsonObject(new LinkedHashMap<>(workflow.parameters())), workflow.status(),
                        workflow.submittedBy(), workflow.submittedAt())))
                .chain(() -> client.preparedQuery("insert into projects.workflow_steps (workflow_id, name, position, "
                        + "status) values ($1, $2, $3, $4)").executeBatch(steps))
                .replaceWithVoid();
    }

    /** The workflow with its steps; with {@code lock}, its row stays locked until the caller's transaction ends. */
    public Uni<WorkflowRun> find(SqlClient client, String workflowId, boolean lock) {
        return client.preparedQuery("select " + COLUMNS + " from projects.workflows where workflow_id = $1"
                        + (lock ? " for update" : ""))
                .execute(Tuple.of(workflowId))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().nullItem()
                        : withSteps(client, rows).map(found -> found.get(0)));
    }

    /** Newest first; both filters optional. */
    public Uni<List<WorkflowRun>> list(SqlClient client, String experimentId, String status, PagePosition after, int limit) {
        return client.preparedQuery("select " + COLUMNS + " from projects.workflows"
                        + " where ($1::text is null or experiment_id = $1) and ($2::text is null or status = $2)"
                        + " and ($3::bigint is null or (submitted_at, workflow_id) < ($3, $4))"
                        + " order by submitted_at desc, workflow_id desc limit $5")
                .execute(Tuple.from(Arrays.asList(experimentId, status, after == null ? null : after.submittedAt(),
                        after == null ? null : after.id(), limit)))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().item(List.of()) : withSteps(client, rows));
    }

    /** Sets these pending steps' status (STARTING or SKIPPED), noting when. */
    public Uni<Void> setPending(SqlClient client, String workflowId, List<String> names, String status, long now) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("update projects.workflow_steps set status = $3, claimed_at = $4"
                        + " where workflow_id = $1 and name = any($2) and status = 'PENDING'")
                .execute(Tuple.of(workflowId, names.toArray(String[]::new), status, now))
                .replaceWithVoid();
    }

    /** A starting step got its run (or an earlier one, reused); false when it was no longer starting. */
    public Uni<Boolean> started(SqlClient client, StepKey step, String runId, boolean reused, String status,
                                Map<String, String> parameters) {
        return client.preparedQuery("update projects.workflow_steps set run_id = $3, reused = $4, status = $5,"
                        + " parameters = $6 where workflow_id = $1 and name = $2 and status = 'STARTING'")
                .execute(Tuple.from(Arrays.asList(step.workflowId(), step.name(), runId, reused, status,
                        new JsonObject(new LinkedHashMap<>(parameters)))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A starting step that could not start: FAILED, with why. */
    public Uni<Void> startFailed(SqlClient client, StepKey step, String reason) {
        return client.preparedQuery("update projects.workflow_steps set status = 'FAILED', failure_reason = $3"
                        + " where workflow_id = $1 and name = $2 and status = 'STARTING'")
                .execute(Tuple.of(step.workflowId(), step.name(), reason))
                .replaceWithVoid();
    }

    /**
     * The run events' status for the steps this run is running (not those that reused it, nor steps already
     * ended: a redelivered event changes nothing); returns the workflows whose step changed.
     */
    public Uni<List<String>> runStatus(SqlClient client, String runId, String status) {
        return client.preparedQuery("update projects.workflow_steps set status = $2"
                        + " where run_id = $1 and not reused and " + NOT_ENDED + " returning workflow_id")
                .execute(Tuple.of(runId, status))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("workflow_id")));
                    return ids;
                });
    }

    public Uni<Void> end(SqlClient client, String workflowId, String status, long now) {
        return client.preparedQuery("update projects.workflows set status = $2, ended_at = $3"
                        + " where workflow_id = $1 and status = 'RUNNING'")
                .execute(Tuple.of(workflowId, status, now))
                .replaceWithVoid();
    }

    /** Marks the cancel; false when it had been asked for already or the workflow has ended. */
    public Uni<Boolean> requestCancel(SqlClient client, String workflowId, long now) {
        return client.preparedQuery("update projects.workflows set cancel_requested_at = $2"
                        + " where workflow_id = $1 and cancel_requested_at is null and status = 'RUNNING'")
                .execute(Tuple.of(workflowId, now))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> parentClosed(SqlClient client, String workflowId) {
        return client.preparedQuery("update projects.workflows set parent_closed = true where workflow_id = $1")
                .execute(Tuple.of(workflowId))
                .replaceWithVoid();
    }

    /** Ended workflows whose parent run has not been told yet. */
    public Uni<List<WorkflowRun>> unclosed(SqlClient client) {
        return client.preparedQuery("select " + COLUMNS + " from projects.workflows"
                        + " where status <> 'RUNNING' and not parent_closed limit 100")
                .execute()
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().item(List.of()) : withSteps(client, rows));
    }

    /**
     * Steps STARTING since before {@code claimedBefore}: their submission was cut short (the service stopped
     * mid-way). Each is claimed anew at {@code now}, so that only one replica takes it up.
     */
    public Uni<List<StepKey>> reclaimStale(SqlClient client, long claimedBefore, long now) {
        return client.preparedQuery("update projects.workflow_steps set claimed_at = $2"
                        + " where status = 'STARTING' and claimed_at < $1 returning workflow_id, name")
                .execute(Tuple.of(claimedBefore, now))
                .map(rows -> {
                    List<StepKey> steps = new ArrayList<>();
                    rows.forEach(row -> steps.add(new StepKey(row.getString("workflow_id"), row.getString("name"))));
                    return steps;
                });
    }

    private Uni<List<WorkflowRun>> withSteps(SqlClient client, RowSet<Row> workflows) {
        List<String> ids = new ArrayList<>();
        workflows.forEach(row -> ids.add(row.getString("workflow_id")));
        return client.preparedQuery("select " + STEP_COLUMNS + " from projects.workflow_steps"
                        + " where workflow_id = any($1) order by workflow_id, position")
                .execute(Tuple.of(ids.toArray(String[]::new)))
                .map(stepRows -> {
                    Map<String, List<StepRun>> steps = new LinkedHashMap<>();
                    for (Row row : stepRows) {
                        steps.computeIfAbsent(row.getString("workflow_id"), id -> new ArrayList<>()).add(step(row));
                    }
                    List<WorkflowRun> result = new ArrayList<>();
                    for (Row row : workflows) {
                        result.add(workflow(row, steps.getOrDefault(row.getString("workflow_id"), List.of())));
                    }
                    return result;
                });
    }

    private WorkflowRun workflow(Row row, List<StepRun> steps) {
        WorkflowSpec spec;
        try {
            spec = json.readValue(row.getJsonObject("spec").encode(), WorkflowSpec.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return new WorkflowRun(row.getString("workflow_id"), row.getString("experiment_id"), spec,
                strings(row.getJsonObject("parameters")), row.getString("status"), row.getString("submitted_by"),
                row.getLong("submitted_at"), row.getLong("ended_at"), row.getLong("cancel_requested_at"), steps);
    }

    private static StepRun step(Row row) {
        JsonObject parameters = row.getJsonObject("parameters");
        return new StepRun(row.getString("name"), row.getString("status"), row.getString("run_id"),
                row.getBoolean("reused"), parameters == null ? null : strings(parameters),
                row.getString("failure_reason"), row.getLong("claimed_at"));
    }

    private JsonObject jsonObject(Object value) {
        try {
            return new JsonObject(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.forEach(entry -> values.put(entry.getKey(), (String) entry.getValue()));
        return values;
    }
}
