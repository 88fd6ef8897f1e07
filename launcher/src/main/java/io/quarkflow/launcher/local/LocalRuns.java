package io.quarkflow.launcher.local;

import io.quarkflow.process.ChildProcess;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The local runs this launcher process started and that still run: their process and whether a cancel stopped it. */
@ApplicationScoped
public class LocalRuns {

    /**
     * One running run.
     *
     * @param cancelled set before a cancel stops the process, so that its exit is not reported as a failure
     */
    public record LocalRun(String runId, ChildProcess process, Path workDir, AtomicBoolean cancelled) {
    }

    private final ConcurrentMap<String, LocalRun> running = new ConcurrentHashMap<>();

    void add(LocalRun run) {
        running.put(run.runId(), run);
    }

    void remove(String runId) {
        running.remove(runId);
    }

    public Optional<LocalRun> get(String runId) {
        return Optional.ofNullable(running.get(runId));
    }

    public boolean isRunning(String runId) {
        return get(runId).map(run -> run.process().isAlive()).orElse(false);
    }
}
