package io.quarkflow.projects.service;

import io.quarkflow.events.ProjectRunTags;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlflow.errors.Python;
import io.quarkflow.projects.domain.StepReference;
import io.quarkflow.projects.domain.SubmitProjectRun;
import io.quarkflow.projects.domain.WorkflowPlan;
import io.quarkflow.projects.domain.WorkflowRun;
import io.quarkflow.projects.domain.WorkflowRun.StepRun;
import io.quarkflow.projects.domain.WorkflowSpec;
import io.quarkflow.projects.store.SubmissionRepository;
import io.quarkflow.projects.store.WorkflowRepository;
import io.quarkflow.projects.store.WorkflowRepository.StepKey;
import io.quarkflow.tracking.client.TrackingClient;
import io.quarkflow.tracking.client.TrackingMessages.Metric;
import io.quarkflow.tracking.client.TrackingMessages.Param;
import io.quarkflow.tracking.client.TrackingMessages.Run;
import io.quarkflow.tracking.client.TrackingMessages.RunTag;
import io.quarkflow.tracking.client.TrackingMessages.SearchRunsRequest;
import io.quarkflow.tracking.client.TrackingMessages.SetTagRequest;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Moves workflows on. Each change is decided under the workflow's row lock ({@link WorkflowPlan}) and committed
 * before anything is started, so that a redelivered run event, or two replicas at once, never start a step twice:
 * only the one that turned a step from PENDING to STARTING submits it, and the submission commits only while the
 * step is still STARTING. A step whose dependencies have finished gets its parameters resolved from their runs and
 * is either a FINISHED run of the same project version and parameters, reused, or a new project run nested under the
 * workflow's parent run.
 */
@ApplicationScoped
public class WorkflowEngine {

    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);
    /** A cancelled workflow's steps that have a run to stop. */
    private static final Set<String> CANCELLABLE = Set.of("SCHEDULED", WorkflowPlan.RUNNING);

    private final Pool pool;
    private final WorkflowRepository workflows;
    private final SubmissionRepository submissions;
    private final SubmitService submit;
    private final ProjectRunService projectRuns;
    private final TrackingClient tracking;

    public WorkflowEngine(Pool pool, WorkflowRepository workflows, SubmissionRepository submissions,
                          SubmitService submit, ProjectRunService projectRuns, @RestClient TrackingClient tracking) {
        this.pool = pool;
        this.workflows = workflows;
        this.submissions = submissions;
        this.submit = submit;
        this.projectRuns = projectRuns;
        this.tracking = tracking;
    }

    /**
     * Skips what can no longer run, claims what can start, ends the workflow when nothing is left; then starts the
     * claimed steps in the background (their STARTING state is committed, so a restart takes them up again).
     */
    public Uni<Void> advance(String workflowId) {
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> workflows.find(conn, workflowId, true).chain(workflow -> {
            if (workflow == null || WorkflowPlan.ended(workflow.status()) || !"RUNNING".equals(workflow.status())) {
                return Uni.createFrom().<Decision>nullItem();
            }
            WorkflowPlan plan = WorkflowPlan.next(workflow.spec(), workflow.statuses(), workflow.cancelling());
            return workflows.setPending(conn, workflowId, plan.skip(), WorkflowPlan.SKIPPED, now)
                    .chain(() -> workflows.setPending(conn, workflowId, plan.start(), WorkflowPlan.STARTING, now))
                    .chain(() -> plan.end() == null ? Uni.createFrom().voidItem()
                            : workflows.end(conn, workflowId, plan.end(), now))
                    .map(done -> new Decision(workflow, plan));
        })).invoke(decision -> {
            if (decision == null) {
                return;
            }
            decision.plan().start().forEach(step -> startInBackground(decision.workflow(), step));
            if (decision.plan().end() != null) {
                LOG.infof("Workflow %s %s", workflowId, decision.plan().end());
                closeParent(workflowId, decision.plan().end(), now).subscribe().with(done -> { }, failure -> { });
            }
        }).replaceWithVoid();
    }

    /** A run's new status, from the run events: its steps follow it, and an ended one moves its workflow on. */
    public Uni<Void> runStatus(String runId, String status) {
        if (WorkflowPlan.KILLED.equals(status)) {
            // A workflow's parent run killed by hand (MlflowClient.set_terminated, the UI) cancels the workflow;
            // once the workflow has ended its parent run is no longer its to follow, and nothing happens.
            return workflows.find(pool, runId, false).chain(workflow -> workflow != null
                            && "RUNNING".equals(workflow.status()) ? cancel(runId) : Uni.createFrom().voidItem())
                    .chain(() -> stepStatus(runId, status));
        }
        return stepStatus(runId, status);
    }

    private Uni<Void> stepStatus(String runId, String status) {
        return workflows.runStatus(pool, runId, status)
                .chain(changed -> !WorkflowPlan.ended(status) || changed.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(changed.stream().map(this::advance).toList()).andFailFast()
                                .replaceWithVoid());
    }

    /**
     * The workflow with the launcher's reason on each failed step, read from its run when asked for (not when the
     * run ended: a run that failed itself, as MLflow's start_run does on an exception, is FAILED before its process
     * exits and the launcher says why).
     */
    public Uni<WorkflowRun> withFailureReasons(WorkflowRun workflow) {
        List<Uni<StepRun>> steps = workflow.steps().stream().map(step -> step.failureReason() == null
                && step.runId() != null && WorkflowPlan.FAILED.equals(step.status())
                ? failureReason(step.runId(), step.status()).map(reason -> new StepRun(step.name(), step.status(),
                        step.runId(), step.reused(), step.parameters(), reason, step.claimedAt()))
                : Uni.createFrom().item(step)).toList();
        return Uni.join().all(steps).andFailFast().map(read -> new WorkflowRun(workflow.workflowId(),
                workflow.experimentId(), workflow.spec(), workflow.parameters(), workflow.status(),
                workflow.submittedBy(), workflow.submittedAt(), workflow.endedAt(), workflow.cancelRequestedAt(), read));
    }

    /** What the launcher said about a failed run (its tag), for the step; null for other statuses or none said. */
    private Uni<String> failureReason(String runId, String status) {
        if (!WorkflowPlan.FAILED.equals(status)) {
            return Uni.createFrom().nullItem();
        }
        return tracking.getRun(runId).map(found -> found.run().data() == null || found.run().data().tags() == null
                        ? null : found.run().data().tags().stream().filter(t -> t.key().equals(ProjectRunTags.FAILURE))
                        .map(RunTag::value).findFirst().orElse(null))
                .onFailure().recoverWithNull(); // the status matters more than its reason
    }

    /**
     * Asks once (a workflow already being cancelled, or ended, stays as it is): stops the running steps' runs; the
     * pending ones are skipped and the workflow ends KILLED once they stop.
     */
    public Uni<Void> cancel(String workflowId) {
        return pool.withTransaction(conn -> workflows.requestCancel(conn, workflowId, System.currentTimeMillis()))
                .chain(first -> first ? workflows.find(pool, workflowId, false).chain(this::stopSteps)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> stopSteps(WorkflowRun workflow) {
        List<Uni<Void>> stops = new ArrayList<>();
        for (StepRun step : workflow.steps()) {
            if (CANCELLABLE.contains(step.status()) && step.runId() != null && !step.reused()) {
                stops.add(projectRuns.cancel(step.runId()).replaceWithVoid());
            }
        }
        Uni<Void> stopped = stops.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(stops).andCollectFailures().replaceWithVoid();
        return stopped.chain(() -> advance(workflow.workflowId()));
    }

    /** Takes up steps whose start was cut short, and tells parent runs of ended workflows what they missed. */
    public Uni<Void> recover(Duration startTimeout) {
        long now = System.currentTimeMillis();
        Uni<Void> stale = workflows.reclaimStale(pool, now - startTimeout.toMillis(), now)
                .chain(steps -> Uni.join().all(steps.stream().map(this::restart).toList()).andCollectFailures()
                        .replaceWithVoid());
        Uni<Void> unclosed = workflows.unclosed(pool).chain(ended -> ended.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(ended.stream().map(w -> closeParent(w.workflowId(), w.status(),
                        w.endedAt() == null ? now : w.endedAt())).toList()).andCollectFailures().replaceWithVoid());
        return stale.chain(() -> unclosed);
    }

    private Uni<Void> restart(StepKey step) {
        return workflows.find(pool, step.workflowId(), false).call(workflow -> workflow == null
                ? Uni.createFrom().voidItem() : failOrphans(workflow, step.name())).invoke(workflow -> {
            if (workflow != null) {
                LOG.infof("Starting step %s of workflow %s again: its start was cut short", step.name(),
                        step.workflowId());
                startInBackground(workflow, step.name());
            }
        }).replaceWithVoid();
    }

    /**
     * A start cut short after its run was created but before its submission committed left that run SCHEDULED
     * with nothing to run it: it is marked FAILED, so that the step shows one live run.
     */
    private Uni<Void> failOrphans(WorkflowRun workflow, String step) {
        String filter = "tags.`mlflow.parentRunId` = '" + workflow.workflowId() + "' and tags.`"
                + ProjectRunTags.WORKFLOW_STEP + "` = '" + step + "' and attributes.status = 'SCHEDULED'";
        return tracking.searchRuns(new SearchRunsRequest(List.of(workflow.experimentId()), filter, null, 100, null))
                .chain(found -> {
                    List<Uni<Void>> failed = new ArrayList<>();
                    for (Run run : found.runs() == null ? List.<Run>of() : found.runs()) {
                        String runId = run.info().runId();
                        failed.add(submissions.find(pool, runId).chain(submission -> submission != null
                                ? Uni.createFrom().voidItem()
                                : tracking.setTag(new SetTagRequest(runId, ProjectRunTags.FAILURE,
                                                "its workflow step's start was cut short; the step started again"))
                                        .chain(() -> tracking.updateRun(new UpdateRunRequest(runId, "FAILED",
                                                System.currentTimeMillis())))
                                        .replaceWithVoid()));
                    }
                    return failed.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(failed).andCollectFailures().replaceWithVoid();
                });
    }

    private record Decision(WorkflowRun workflow, WorkflowPlan plan) {
    }

    private void startInBackground(WorkflowRun workflow, String step) {
        start(workflow, step).subscribe().with(done -> { },
                failure -> LOG.errorf(failure, "Step %s of workflow %s", step, workflow.workflowId()));
    }

    /** Resolves, then reuses or submits; a step that cannot start fails, and its workflow moves on. */
    private Uni<Void> start(WorkflowRun workflow, String name) {
        WorkflowSpec spec = workflow.spec();
        WorkflowSpec.Step step = spec.step(name);
        StepKey key = new StepKey(workflow.workflowId(), name);
        return resolve(workflow, step)
                .chain(parameters -> submit.prepare(new SubmitProjectRun(spec.uriOf(step), spec.versionOf(step),
                                step.entryPoint(), parameters, workflow.experimentId(), null, null,
                                spec.backendOf(step), spec.backendConfigOf(step)), workflow.submittedBy())
                        .chain(prepared -> reusable(spec, prepared).chain(reused -> reused != null
                                ? workflows.started(pool, key, reused, true, WorkflowPlan.FINISHED, parameters)
                                        .invoke(ok -> LOG.infof("Step %s of workflow %s reuses run %s", name,
                                                workflow.workflowId(), reused))
                                        .chain(() -> advance(workflow.workflowId()))
                                : submit.start(prepared, name, stepTags(workflow, name), (conn, runId) ->
                                        workflows.started(conn, key, runId, false, "SCHEDULED", parameters)
                                                .invoke(ok -> {
                                                    if (!ok) {
                                                        throw new IllegalStateException("Step " + name
                                                                + " is no longer starting");
                                                    }
                                                }).replaceWithVoid())
                                        .chain(run -> cancelIfCancelling(workflow.workflowId(), run.runId())))))
                .onFailure().recoverWithUni(failure -> workflows.startFailed(pool, key, reason(failure))
                        .chain(() -> advance(workflow.workflowId())));
    }

    /** A cancel that came while the step was starting found no run to stop; this one is stopped now. */
    private Uni<Void> cancelIfCancelling(String workflowId, String runId) {
        return workflows.find(pool, workflowId, false).chain(workflow -> workflow != null && workflow.cancelling()
                ? projectRuns.cancel(runId).replaceWithVoid() : Uni.createFrom().voidItem());
    }

    private Uni<String> reusable(WorkflowSpec spec, SubmitService.Prepared prepared) {
        if (Boolean.FALSE.equals(spec.reuse())) {
            return Uni.createFrom().nullItem();
        }
        // A run deleted since is not reused.
        return submissions.finishedLike(pool, prepared.submission()).chain(runId -> runId == null
                ? Uni.createFrom().nullItem()
                : tracking.getRun(runId).map(found -> "active".equals(found.run().info().lifecycleStage()) ? runId
                        : null));
    }

    private static List<RunTag> stepTags(WorkflowRun workflow, String step) {
        return List.of(new RunTag("mlflow.parentRunId", workflow.workflowId()),
                new RunTag(ProjectRunTags.WORKFLOW_STEP, step));
    }

    /** The step's parameters with every reference replaced: the workflow's parameters and its dependencies' runs. */
    private Uni<Map<String, String>> resolve(WorkflowRun workflow, WorkflowSpec.Step step) {
        Set<String> needed = new LinkedHashSet<>();
        step.parameterTemplates().values().forEach(value -> StepReference.in(value).stream()
                .map(StepReference::step).filter(Objects::nonNull).forEach(needed::add));
        List<Uni<Run>> reads = needed.stream()
                .map(name -> tracking.getRun(workflow.step(name).runId()).map(found -> found.run())).toList();
        Uni<List<Run>> runs = reads.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(reads).andFailFast();
        return runs.map(read -> {
            Map<String, Run> byStep = new LinkedHashMap<>();
            List<String> names = List.copyOf(needed);
            for (int i = 0; i < names.size(); i++) {
                byStep.put(names.get(i), read.get(i));
            }
            Map<String, String> resolved = new LinkedHashMap<>();
            step.parameterTemplates().forEach((name, template) -> resolved.put(name, StepReference.resolve(template,
                    reference -> value(workflow, byStep.get(reference.step()), reference))));
            return resolved;
        });
    }

    private static String value(WorkflowRun workflow, Run run, StepReference reference) {
        String value = switch (reference.kind()) {
            case "parameters" -> workflow.parameters().get(reference.key());
            case "run_id" -> run.info().runId();
            case "artifact_uri" -> run.info().artifactUri();
            case "params" -> run.data() == null || run.data().params() == null ? null : run.data().params().stream()
                    .filter(p -> p.key().equals(reference.key())).map(Param::value).findFirst().orElse(null);
            case "metrics" -> run.data() == null || run.data().metrics() == null ? null : run.data().metrics()
                    .stream().filter(m -> m.key().equals(reference.key())).map(Metric::value).map(Python::str)
                    .findFirst().orElse(null);
            case "tags" -> run.data() == null || run.data().tags() == null ? null : run.data().tags().stream()
                    .filter(t -> t.key().equals(reference.key())).map(RunTag::value).findFirst().orElse(null);
            default -> null;
        };
        if (value == null) { // a workflow parameter always has one
            throw MlflowException.invalidParameter(reference + " has no value: run " + run.info().runId()
                    + " has no " + reference.kind() + " '" + reference.key() + "'.");
        }
        return value;
    }

    private Uni<Void> closeParent(String workflowId, String status, long endedAt) {
        return tracking.updateRun(new UpdateRunRequest(workflowId, status, endedAt))
                .chain(() -> workflows.parentClosed(pool, workflowId))
                .onFailure().invoke(e -> LOG.warnf("Could not end workflow %s's parent run (retried later): %s",
                        workflowId, e.getMessage()));
    }

    private static String reason(Throwable failure) {
        return failure instanceof MlflowException e ? e.getMessage()
                : "could not start: " + failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
