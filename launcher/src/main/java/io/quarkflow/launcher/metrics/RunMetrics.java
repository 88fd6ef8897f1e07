package io.quarkflow.launcher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkflow.launcher.domain.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The launcher's counters on /q/metrics: {@code quarkflow_project_runs_launched_total} by backend (runs it started:
 * their process or Job created) and {@code quarkflow_project_runs_finished_total} by the run's final status (runs
 * whose end the launcher saw: their process exited, their Job ended, they were cancelled, lost or refused).
 */
@ApplicationScoped
public class RunMetrics {

    private final MeterRegistry meters;

    public RunMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void launched(String backend) {
        Counter.builder("quarkflow.project.runs.launched")
                .description("Project runs the launcher started")
                .tag("backend", backend)
                .register(meters)
                .increment();
    }

    public void finished(RunStatus status) {
        Counter.builder("quarkflow.project.runs.finished")
                .description("Project runs whose end the launcher saw, by final status")
                .tag("status", status.name())
                .register(meters)
                .increment();
    }
}
