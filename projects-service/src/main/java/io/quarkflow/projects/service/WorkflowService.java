package io.quarkflow.projects.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.projects.config.ProjectsConfig;
import io.quarkflow.projects.domain.PagePosition;
import io.quarkflow.projects.domain.SubmitWorkflow;
import io.quarkflow.projects.domain.Workflow;
import io.quarkflow.projects.domain.WorkflowRules;
import io.quarkflow.projects.domain.WorkflowRun;
import io.quarkflow.projects.domain.WorkflowRun.StepRun;
import io.quarkflow.projects.domain.WorkflowSpec;
import io.quarkflow.projects.store.WorkflowRepository;
import io.quarkflow.tracking.client.TrackingClient;
import io.quarkflow.tracking.client.TrackingMessages.CreateRunRequest;
import io.quarkflow.tracking.client.TrackingMessages.LogBatchRequest;
import io.quarkflow.tracking.client.TrackingMessages.Param;
import io.quarkflow.tracking.client.TrackingMessages.RunTag;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunRequest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Submits, reads and cancels workflows. Submitting creates the parent run (RUNNING, with the workflow's parameters
 * as its params), records the workflow and starts the steps that depend on nothing; {@link WorkflowEngine} does
 * the rest as the steps' runs end. A periodic sweep takes up what a stopped service left half-done.
 */
@ApplicationScoped
public class WorkflowService {

    /** One page of a listing; {@code nextPageToken} is null on the last. */
    public record Page(List<Workflow> workflows, String nextPageToken) {
    }

    private static final Logger LOG = Logger.getLogger(WorkflowService.class);

    private final ProjectsConfig config;
    private final Pool pool;
    private final WorkflowRepository workflows;
    private final WorkflowEngine engine;
    private final SubmitService submit;
    private final TrackingClient tracking;
    private final Vertx vertx;
    private long sweep = -1;

    public WorkflowService(ProjectsConfig config, Pool pool, WorkflowRepository workflows, WorkflowEngine engine,
                           SubmitService submit, @RestClient TrackingClient tracking, Vertx vertx) {
        this.config = config;
        this.pool = pool;
        this.workflows = workflows;
        this.engine = engine;
        this.submit = submit;
        this.tracking = tracking;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        sweep = vertx.setPeriodic(1_000, config.workflowSweepInterval().toMillis(), id ->
                engine.recover(config.workflowStartTimeout()).subscribe().with(done -> { },
                        failure -> LOG.warnf("Workflow sweep: %s", failure.getMessage())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sweep >= 0) {
            vertx.cancelTimer(sweep);
        }
    }

    /** @param user who submits, as the gateway authenticated them; empty when authentication is off */
    public Uni<Workflow> submit(SubmitWorkflow request, String user) {
        Map<String, String> parameters = WorkflowRules.check(request, config.defaultBackend());
        WorkflowSpec spec = request.workflow();
        long now = System.currentTimeMillis();
        return submit.experimentId(request.experimentId(), request.experimentName())
                .chain(experimentId -> createParent(spec, experimentId, request.runName(), user, parameters)
                        .chain(parentId -> {
                            List<StepRun> steps = spec.steps().stream().map(step -> new StepRun(step.name(),
                                    "PENDING", null, false, null, null, null)).toList();
                            WorkflowRun workflow = new WorkflowRun(parentId, experimentId, spec, parameters,
                                    "RUNNING", user, now, null, null, steps);
                            return pool.withTransaction(conn -> workflows.insert(conn, workflow))
                                    .onFailure().call(failure -> tracking.updateRun(new UpdateRunRequest(parentId,
                                            "FAILED", System.currentTimeMillis())).onFailure().recoverWithNull())
                                    .chain(() -> engine.advance(parentId))
                                    .chain(() -> get(parentId));
                        }));
    }

    /** The parent run, as MLflow's multistep example makes one: RUNNING, the steps' runs nested under it. */
    private Uni<String> createParent(WorkflowSpec spec, String experimentId, String runName, String user,
                                     Map<String, String> parameters) {
        List<RunTag> tags = new ArrayList<>();
        if (!user.isEmpty()) {
            tags.add(new RunTag("mlflow.user", user));
        }
        tags.add(new RunTag("mlflow.source.name", spec.name()));
        tags.add(new RunTag("mlflow.source.type", "PROJECT"));
        tags.add(new RunTag("quarkflow.workflow", spec.name()));
        List<Param> params = parameters.entrySet().stream().map(p -> new Param(p.getKey(), p.getValue())).toList();
        return tracking.createRun(new CreateRunRequest(experimentId, runName == null ? spec.name() : runName, tags,
                        null))
                .map(created -> created.run().info().runId())
                .call(runId -> params.isEmpty() ? Uni.createFrom().voidItem()
                        : tracking.logBatch(new LogBatchRequest(runId, params, null)));
    }

    public Uni<Workflow> get(String workflowId) {
        return workflow(workflowId).chain(engine::withFailureReasons).map(Workflow::of);
    }

    /** Newest first, optionally of one experiment and in one status. */
    public Uni<Page> list(String experimentId, String status, Integer maxResults, String pageToken) {
        int limit = PagePosition.pageSize(maxResults);
        return workflows.list(pool, experimentId, status, PagePosition.of(pageToken), limit + 1).map(found -> {
            List<Workflow> page = found.stream().limit(limit).map(Workflow::of).toList();
            Workflow last = page.isEmpty() ? null : page.get(page.size() - 1);
            String next = found.size() > limit ? new PagePosition(last.submittedAt(), last.workflowId()).token() : null;
            return new Page(page, next);
        });
    }

    /** Asks once; the running steps' runs are cancelled, the pending steps skipped. An ended workflow stays. */
    public Uni<Workflow> cancel(String workflowId) {
        return workflow(workflowId).chain(() -> engine.cancel(workflowId)).chain(() -> get(workflowId));
    }

    private Uni<WorkflowRun> workflow(String workflowId) {
        if (workflowId == null || workflowId.isEmpty()) {
            throw MlflowException.missing("workflow_id");
        }
        return workflows.find(pool, workflowId, false).map(found -> {
            if (found == null) {
                throw MlflowException.notFound("Workflow with id '" + workflowId + "' not found.");
            }
            return found;
        });
    }
}
