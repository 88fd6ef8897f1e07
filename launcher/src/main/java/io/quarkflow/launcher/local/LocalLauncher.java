package io.quarkflow.launcher.local;

import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.events.ProjectRunTags;
import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.SourceRules;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.tracking.RunCredentials;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.launcher.tracking.Workers;
import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The embedded default backend: each run is a child process of the launcher, {@code bash -c <command>} in the
 * project's directory as MLflow's local backend runs it, with its output in {@code <work dir>/<run id>/output.log}.
 * RUNNING once started; exit 0 → FINISHED, else FAILED with the exit code and the output's end; a cancel stops the
 * whole process tree → KILLED. The run's directory is derived from its id, so a redelivered request finds it.
 */
@ApplicationScoped
public class LocalLauncher {

    public static final String PROCESS_TAG = ProjectRunTags.PROCESS;
    public static final String OUTPUT_FILE = "output.log";
    public static final String NO_DOCKER = "docker_env needs a Docker engine; none found on the launcher's machine";
    public static final String RESTARTED = "the launcher restarted while the run was running";

    private static final Logger LOG = Logger.getLogger(LocalLauncher.class);

    private final LauncherConfig config;
    private final RunStatusReporter reporter;
    private final LocalRuns runs;
    private final RunCredentials credentials;
    private final ProjectFetcher fetcher;

    public LocalLauncher(LauncherConfig config, RunStatusReporter reporter, LocalRuns runs,
                         RunCredentials credentials) {
        this.config = config;
        this.reporter = reporter;
        this.runs = runs;
        this.credentials = credentials;
        this.fetcher = new ProjectFetcher(config.trackingUri());
    }

    /** The run's directory; it exists once the launcher has started to prepare the run here. */
    public Path workDir(String runId) {
        return Path.of(config.local().workDir()).toAbsolutePath().resolve(SourceRules.runId(runId));
    }

    /**
     * Prepares and starts the run; {@code current} is its status at tracking-service. A RUNNING run that this
     * process does not run was started before a restart, and its process is gone.
     */
    public Uni<Void> launch(ProjectRunRequest request, RunStatus current) {
        if (runs.get(request.runId()).isPresent()) {
            return Uni.createFrom().voidItem();
        }
        if (current == RunStatus.RUNNING) {
            return reporter.report(request.runId(), StatusChange.failed(RESTARTED));
        }
        return Workers.run(() -> start(request))
                .chain(run -> reporter.tag(run.runId(), PROCESS_TAG, Long.toString(run.process().pid()))
                        .chain(() -> reporter.report(run.runId(), StatusChange.running()))
                        .invoke(() -> watchExit(run)));
    }

    /** Stops the run's process tree and marks it KILLED; a run not running here only gets KILLED if not ended. */
    public Uni<Void> cancel(String runId) {
        return Workers.run(() -> {
            runs.get(runId).ifPresent(run -> {
                run.cancelled().set(true);
                run.process().stop(config.local().stopGrace());
            });
            return null;
        }).chain(() -> reporter.report(runId, StatusChange.killed()));
    }

    private LocalRuns.LocalRun start(ProjectRunRequest request) throws IOException {
        Path workDir = workDir(request.runId());
        if (Files.exists(workDir)) {
            deleteRecursively(workDir); // a preparation cut short by a crash; the run never started
        }
        Files.createDirectories(workDir);
        ProjectRunRequest.Environment environment = request.environment();
        String type = environment == null || environment.type() == null ? "local" : environment.type();
        if (type.equals("docker") && !DockerEngine.available()) {
            throw new LaunchRefused(NO_DOCKER);
        }
        if (type.equals("conda")) {
            throw new LaunchRefused("conda environments are not supported by the launcher; use python_env");
        }
        if (request.command() == null || request.command().isBlank()) {
            throw new LaunchRefused("The request has no command to run");
        }
        Optional<String> token = credentials.tokenFor(request.runId());
        Path project = fetcher.fetch(request.source(), workDir, token);

        Map<String, String> env = new HashMap<>();
        if (request.env() != null) {
            env.putAll(request.env());
        }
        if (type.equals("virtualenv")) {
            env.putAll(PythonEnvironment.create(project, environment.file(), workDir));
        }
        env.put("MLFLOW_RUN_ID", request.runId());
        env.put("MLFLOW_TRACKING_URI", config.trackingUri());
        env.put("MLFLOW_EXPERIMENT_ID", request.experimentId() == null ? "" : request.experimentId());
        token.ifPresent(value -> env.put("MLFLOW_TRACKING_TOKEN", value));

        List<String> line = type.equals("docker")
                ? DockerEngine.runLine(environment, project, env, request.command())
                : List.of("bash", "-c", request.command());
        ChildProcess process = ChildProcess.start(new Command("run " + request.runId(), line, env, List.of(),
                project, workDir.resolve(OUTPUT_FILE)));
        LocalRuns.LocalRun run = new LocalRuns.LocalRun(request.runId(), process, workDir, new AtomicBoolean());
        runs.add(run);
        LOG.infof("Started run %s as process %d in %s", request.runId(), process.pid(), project);
        return run;
    }

    private void watchExit(LocalRuns.LocalRun run) {
        run.process().onExit().thenAcceptAsync(exited -> {
            runs.remove(run.runId());
            if (run.cancelled().get()) {
                return; // the cancel reports KILLED
            }
            int exitCode = exited.exitCode();
            StatusChange change = exitCode == 0 ? StatusChange.finished()
                    : StatusChange.failed("exit code " + exitCode + tail(run.workDir().resolve(OUTPUT_FILE)));
            reporter.report(run.runId(), change).subscribe().with(done -> {
            }, failure -> LOG.warnf(failure, "Could not report the end of run %s", run.runId()));
        }, Infrastructure.getDefaultWorkerPool());
    }

    private static String tail(Path output) {
        String tail = Steps.tail(output);
        return tail.isEmpty() ? "" : "; end of its output:\n" + tail;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
