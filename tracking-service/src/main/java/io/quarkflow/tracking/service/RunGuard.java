package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.NotFound;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/** What a request checks of the runs it names before it reads or writes them: they exist, and writes go to active runs. */
@ApplicationScoped
public class RunGuard {

    private final RunRepository runs;

    public RunGuard(RunRepository runs) {
        this.runs = runs;
    }

    /** The run, or MLflow's "not found". */
    public Uni<RunInfo> existing(SqlClient client, String runId) {
        return runs.findInfo(client, runId).onItem().ifNull().failWith(() -> NotFound.run(runId));
    }

    /** Fails with MLflow's "not found" for the first id that names no run. */
    public Uni<Void> allExisting(SqlClient client, String[] runIds) {
        return runs.existing(client, runIds)
                .invoke(found -> {
                    for (String runId : runIds) {
                        if (!found.contains(runId)) {
                            throw NotFound.run(runId);
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** The run, unless it does not exist or is not active: MLflow refuses writes to deleted runs. */
    public Uni<RunInfo> active(SqlClient client, String runId) {
        return existing(client, runId).invoke(info -> requireActive(runId, info.lifecycleStage().name()));
    }

    /** The same rule for a write that learned the run's stage (null: no such run) from its own statement. */
    static void requireActive(String runId, String stage) {
        if (stage == null) {
            throw NotFound.run(runId);
        }
        if (!stage.equals(LifecycleStage.active.name())) {
            throw MlflowException.invalidParameter("The run " + runId + " must be in the 'active' state. "
                    + "Current state is " + stage + ".");
        }
    }
}
