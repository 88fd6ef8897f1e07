package io.quarkflow.projects.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.events.ProjectRunTags;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlproject.ProjectException;
import io.quarkflow.mlproject.ProjectSource;
import io.quarkflow.projects.config.ProjectsConfig;
import io.quarkflow.projects.domain.ProjectRun;
import io.quarkflow.projects.domain.Submission;
import io.quarkflow.projects.domain.SubmissionRules;
import io.quarkflow.projects.domain.SubmitProjectRun;
import io.quarkflow.projects.events.ProjectRunEvents;
import io.quarkflow.projects.source.ProjectFetcher;
import io.quarkflow.projects.store.SubmissionRepository;
import io.quarkflow.tracking.client.TrackingClient;
import io.quarkflow.tracking.client.TrackingMessages.CreateExperimentRequest;
import io.quarkflow.tracking.client.TrackingMessages.CreateRunRequest;
import io.quarkflow.tracking.client.TrackingMessages.LogBatchRequest;
import io.quarkflow.tracking.client.TrackingMessages.Param;
import io.quarkflow.tracking.client.TrackingMessages.RunTag;
import io.quarkflow.tracking.client.TrackingMessages.SetTagRequest;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunRequest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Submits a project run as MLflow's {@code mlflow run} does, but on the server: the project is fetched and its
 * entry point resolved first (a refusal creates nothing); then the tracking run is created with MLflow's tags, set
 * SCHEDULED and given its parameters; then the submission and the launcher's request commit together. A run whose
 * submission could not be recorded is marked FAILED, so that no run waits for a request that will never come.
 * Each recorded submission counts in {@code quarkflow_project_runs_submitted_total} (by backend) on /q/metrics.
 */
@ApplicationScoped
public class SubmitService {

    private static final Logger LOG = Logger.getLogger(SubmitService.class);
    private static final String DEFAULT_ENTRY_POINT = "main";
    private static final String DEFAULT_EXPERIMENT_ID = "0";
    /** MLflow's log-batch takes at most 100 params per request. */
    private static final int PARAMS_PER_BATCH = 100;

    private final ProjectsConfig config;
    private final ProjectFetcher fetcher;
    private final TrackingClient tracking;
    private final Pool pool;
    private final SubmissionRepository submissions;
    private final ProjectRunEvents events;
    private final MeterRegistry meters;

    public SubmitService(ProjectsConfig config, ProjectFetcher fetcher, @RestClient TrackingClient tracking, Pool pool,
                         SubmissionRepository submissions, ProjectRunEvents events, MeterRegistry meters) {
        this.config = config;
        this.fetcher = fetcher;
        this.tracking = tracking;
        this.pool = pool;
        this.submissions = submissions;
        this.events = events;
        this.meters = meters;
    }

    /**
     * A submission checked, its project fetched and resolved and its experiment found (or created): what a run is
     * started from. Its submission has no run id yet.
     */
    public record Prepared(Submission submission, PreparedProject project) {
    }

    /** @param user who submits, as the gateway authenticated them; empty when authentication is off */
    public Uni<ProjectRun> submit(SubmitProjectRun request, String user) {
        return prepare(request, user).chain(prepared -> start(prepared, request.runName(), List.of(),
                (conn, runId) -> Uni.createFrom().voidItem()));
    }

    /** Everything {@link #submit} checks and reads before it creates a run; a refusal is the user's 400. */
    public Uni<Prepared> prepare(SubmitProjectRun request, String user) {
        if (request.uri() == null || request.uri().isEmpty()) {
            throw MlflowException.missing("uri");
        }
        String backend = SubmissionRules.backend(request.backend(), config.defaultBackend());
        SubmissionRules.experiment(request.experimentId(), request.experimentName());
        Map<String, String> parameters = request.parameters() == null ? Map.of() : request.parameters();
        SubmissionRules.parameters(parameters);
        Map<String, Object> backendConfig = request.backendConfig() == null ? Map.of() : request.backendConfig();
        SubmissionRules.backendConfig(backend, backendConfig);
        String entryPoint = request.entryPoint() == null || request.entryPoint().isEmpty() ? DEFAULT_ENTRY_POINT
                : request.entryPoint();
        ProjectSource source;
        String version;
        try {
            source = ProjectSource.parse(request.uri());
            version = ProjectSource.checkVersion(request.version());
        } catch (ProjectException e) {
            throw MlflowException.invalidParameter(e.getMessage());
        }
        if (source.kind() == ProjectSource.Kind.LOCAL && !SubmissionRules.LOCAL.equals(backend)) {
            throw MlflowException.invalidParameter("A project directory can only run on the local backend.");
        }
        return Uni.createFrom().item(() -> PreparedProject.prepare(fetcher, source, version, entryPoint, parameters))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(project -> experimentId(request.experimentId(), request.experimentName()).map(experimentId -> new Prepared(new Submission(null,
                        experimentId, request.uri(), version, project.commit(), entryPoint, parameters, backend,
                        backendConfig, project.command().command(), user, System.currentTimeMillis(), "SCHEDULED",
                        null, project.archiveSha256()), project)));
    }

    /**
     * Creates the run (with these tags besides MLflow's) and records the submission with the launcher's request;
     * {@code alsoInTransaction} is given the run id and commits with them.
     */
    public Uni<ProjectRun> start(Prepared prepared, String runName, List<RunTag> tags,
                                 BiFunction<SqlClient, String, Uni<Void>> alsoInTransaction) {
        return createRun(prepared.submission(), prepared.project(), runName, tags)
                .chain(runId -> record(withRunId(prepared.submission(), runId), prepared.project(),
                        alsoInTransaction));
    }

    /** The experiment named, created if it does not exist (as MLflow's CLI does); the Default one for neither. */
    public Uni<String> experimentId(String experimentId, String experimentName) {
        if (experimentName == null) {
            return Uni.createFrom().item(experimentId == null ? DEFAULT_EXPERIMENT_ID : experimentId);
        }
        // MLflow's CLI creates a named experiment that does not exist yet.
        return tracking.getExperimentByName(experimentName)
                .map(found -> found.experiment().experimentId())
                .onFailure(e -> is(e, ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .recoverWithUni(() -> tracking.createExperiment(new CreateExperimentRequest(experimentName))
                        .map(created -> created.experimentId())
                        .onFailure(e -> is(e, ErrorCode.RESOURCE_ALREADY_EXISTS)) // created meanwhile
                        .recoverWithUni(() -> tracking.getExperimentByName(experimentName)
                                .map(found -> found.experiment().experimentId())));
    }

    /** The run with MLflow's project tags (projects/utils.py _create_run), SCHEDULED, then its parameters. */
    private Uni<String> createRun(Submission submission, PreparedProject project, String runName,
                                  List<RunTag> extraTags) {
        List<RunTag> tags = new ArrayList<>(extraTags);
        if (!submission.submittedBy().isEmpty()) {
            tags.add(new RunTag("mlflow.user", submission.submittedBy()));
        }
        tags.add(new RunTag("mlflow.source.name", submission.projectUri()));
        tags.add(new RunTag("mlflow.source.type", "PROJECT"));
        tags.add(new RunTag("mlflow.project.entryPoint", submission.entryPoint()));
        tags.add(new RunTag("mlflow.project.backend", submission.backend()));
        tags.add(new RunTag("mlflow.project.env", project.environment().type()));
        if (project.commit() != null) {
            tags.add(new RunTag("mlflow.source.git.commit", project.commit()));
            tags.add(new RunTag("mlflow.source.git.repoURL", project.source().uri()));
        }
        if (project.branch() != null) {
            tags.add(new RunTag("mlflow.source.git.branch", project.branch()));
        }
        if (project.environment().image() != null) {
            tags.add(new RunTag("mlflow.docker.image.name", project.environment().image()));
        }
        // MLflow creates runs RUNNING: SCHEDULED first, then the tag that makes it the launcher's, so that a launcher
        // reconciling RUNNING runs of its backend never sees this one between the two.
        return tracking.createRun(new CreateRunRequest(submission.experimentId(), runName, tags, null))
                .map(created -> created.run().info().runId())
                .call(runId -> tracking.updateRun(new UpdateRunRequest(runId, "SCHEDULED", null)))
                .call(runId -> logParameters(runId, project.command().parameters(),
                        new RunTag(ProjectRunTags.BACKEND, submission.backend())));
    }

    /** The parameters in batches of 100, the tag with the first. */
    private Uni<Void> logParameters(String runId, Map<String, String> parameters, RunTag tag) {
        List<Param> params = parameters.entrySet().stream().map(p -> new Param(p.getKey(), p.getValue())).toList();
        Uni<Void> logged = tracking.logBatch(new LogBatchRequest(runId,
                params.subList(0, Math.min(params.size(), PARAMS_PER_BATCH)), List.of(tag)));
        for (int from = PARAMS_PER_BATCH; from < params.size(); from += PARAMS_PER_BATCH) {
            List<Param> batch = params.subList(from, Math.min(params.size(), from + PARAMS_PER_BATCH));
            logged = logged.chain(() -> tracking.logBatch(new LogBatchRequest(runId, batch, null)));
        }
        return logged;
    }

    /** The submission and the launcher's request in one transaction; on failure the run is marked FAILED. */
    private Uni<ProjectRun> record(Submission submission, PreparedProject project,
                                   BiFunction<SqlClient, String, Uni<Void>> alsoInTransaction) {
        ProjectRunRequest request = new ProjectRunRequest(submission.runId(), submission.experimentId(),
                project.projectName(), project.source(), submission.entryPoint(), submission.command(), Map.of(),
                project.environment(), submission.backend(), submission.backendConfig(), submission.submittedBy());
        return pool.withTransaction(conn -> submissions.insert(conn, submission)
                        .call(() -> events.requested(conn, request))
                        .call(() -> alsoInTransaction.apply(conn, submission.runId())))
                .invoke(() -> Counter.builder("quarkflow.project.runs.submitted")
                        .description("Project runs submitted (workflow steps included)")
                        .tag("backend", submission.backend())
                        .register(meters)
                        .increment())
                .map(done -> ProjectRun.of(submission, submission.status()))
                .onFailure().call(failure -> markFailed(submission.runId(), failure));
    }

    private Uni<Void> markFailed(String runId, Throwable failure) {
        LOG.errorf(failure, "Could not record the submission of run %s; marking it FAILED", runId);
        return tracking.setTag(new SetTagRequest(runId, ProjectRunTags.FAILURE,
                        "projects-service could not record the submission: " + failure))
                .chain(() -> tracking.updateRun(new UpdateRunRequest(runId, "FAILED", System.currentTimeMillis())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf(e, "Could not mark run %s FAILED", runId);
                    return null;
                });
    }

    private static Submission withRunId(Submission s, String runId) {
        return new Submission(runId, s.experimentId(), s.projectUri(), s.version(), s.gitCommit(), s.entryPoint(),
                new LinkedHashMap<>(s.parameters()), s.backend(), s.backendConfig(), s.command(), s.submittedBy(),
                s.submittedAt(), s.status(), s.cancelRequestedAt(), s.archiveSha256());
    }

    private static boolean is(Throwable failure, ErrorCode code) {
        return failure instanceof MlflowException e && e.errorCode() == code;
    }
}
