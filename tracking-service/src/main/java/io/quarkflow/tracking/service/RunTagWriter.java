package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.store.LoggingRepository;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The one writer of a run's tags, and so of its name: a run's name and its mlflow.runName tag change together,
 * whichever request (create, update, set-tag, log-batch) changes them.
 */
@ApplicationScoped
public class RunTagWriter {

    private final LoggingRepository logging;
    private final RunRepository runs;

    public RunTagWriter(LoggingRepository logging, RunRepository runs) {
        this.logging = logging;
        this.runs = runs;
    }

    /**
     * A new run: its row and its validated tags, among them mlflow.runName with the row's name (runs/create resolves
     * both from one name). The row is visible to nobody yet, so the order of the two writes does not matter.
     */
    public Uni<Void> insertRun(SqlClient conn, RunInfo info, List<RunTag> tags) {
        return runs.insert(conn, info).chain(() -> logging.upsertTags(conn, info.runId(), RunTag.lastPerKey(tags)));
    }

    /**
     * Writes validated tags of an existing run (the last value per key wins). Tags before the run row: every write takes its locks
     * in that order, so a rename cannot deadlock with a concurrent log-batch.
     */
    public Uni<Void> write(SqlClient conn, String runId, List<RunTag> tags) {
        List<RunTag> lastPerKey = RunTag.lastPerKey(tags);
        String name = RunTag.runName(lastPerKey).orElse(null);
        return logging.upsertTags(conn, runId, lastPerKey)
                .chain(() -> name == null ? Uni.createFrom().voidItem() : runs.update(conn, runId, null, null, name));
    }
}
