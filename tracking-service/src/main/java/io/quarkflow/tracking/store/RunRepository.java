package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Dataset;
import io.quarkflow.tracking.domain.DatasetInput;
import io.quarkflow.tracking.domain.InputTag;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunStatus;
import io.quarkflow.tracking.domain.RunTag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for run rows and for reading a run's data (params, tags, latest metrics, inputs). */
@ApplicationScoped
public class RunRepository {

    private static final String COLUMNS =
            "run_uuid, name, experiment_id, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage";

    public Uni<Void> insert(SqlClient client, RunInfo info) {
        return client.preparedQuery("insert into runs (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] {info.runId(), info.runName(), Long.parseLong(info.experimentId()),
                    info.userId(), info.status().name(), info.startTime(), info.endTime(), info.artifactUri(),
                    info.lifecycleStage().name()}))
                .replaceWithVoid();
    }

    public Uni<RunInfo> findInfo(SqlClient client, String runId) {
        return client.preparedQuery("select " + COLUMNS + " from runs where run_uuid = $1")
                .execute(Tuple.of(runId))
                .map(rows -> Rows.first(rows, RunRepository::toInfo));
    }

    /** Sets only the fields given (null keeps the current value). */
    public Uni<Void> update(SqlClient client, String runId, RunStatus status, Long endTime, String name) {
        return client.preparedQuery("update runs set status = coalesce($2, status), end_time = coalesce($3, end_time), "
                        + "name = coalesce($4, name) where run_uuid = $1")
                .execute(Tuple.of(runId, status == null ? null : status.name(), endTime, name))
                .replaceWithVoid();
    }

    public Uni<Void> setLifecycleStage(SqlClient client, String runId, LifecycleStage stage, long now) {
        return client.preparedQuery("update runs set lifecycle_stage = $2, deleted_time = $3 where run_uuid = $1")
                .execute(Tuple.of(runId, stage.name(), stage == LifecycleStage.deleted ? now : null))
                .replaceWithVoid();
    }

    public Uni<List<Param>> params(SqlClient client, String runId) {
        return client.preparedQuery("select key, value from params where run_uuid = $1 order by key")
                .execute(Tuple.of(runId))
                .map(rows -> Rows.map(rows, row -> new Param(row.getString(0), row.getString(1))));
    }

    public Uni<List<RunTag>> tags(SqlClient client, String runId) {
        return client.preparedQuery("select key, value from tags where run_uuid = $1 order by key")
                .execute(Tuple.of(runId))
                .map(rows -> Rows.map(rows, row -> new RunTag(row.getString(0), row.getString(1))));
    }

    public Uni<List<Metric>> latestMetrics(SqlClient client, String runId) {
        return client.preparedQuery("select key, value, is_nan, ts, step from latest_metrics where run_uuid = $1 order by key")
                .execute(Tuple.of(runId))
                .map(rows -> Rows.map(rows, MetricRepository::toMetric));
    }

    public Uni<List<DatasetInput>> inputs(SqlClient client, String runId) {
        return client.preparedQuery("select d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile, "
                        + "t.key, t.value from run_inputs i join datasets d on d.dataset_uuid = i.dataset_uuid "
                        + "left join run_input_tags t on t.run_uuid = i.run_uuid and t.dataset_uuid = i.dataset_uuid "
                        + "where i.run_uuid = $1 order by d.name, d.digest, t.key")
                .execute(Tuple.of(runId))
                .map(rows -> {
                    Map<String, Dataset> datasets = new LinkedHashMap<>();
                    Map<String, List<InputTag>> tags = new LinkedHashMap<>();
                    for (Row row : rows) {
                        String id = row.getString(0);
                        datasets.computeIfAbsent(id, ignored -> new Dataset(row.getString(1), row.getString(2),
                                row.getString(3), row.getString(4), row.getString(5), row.getString(6)));
                        List<InputTag> datasetTags = tags.computeIfAbsent(id, ignored -> new ArrayList<>());
                        if (row.getString(7) != null) {
                            datasetTags.add(new InputTag(row.getString(7), row.getString(8)));
                        }
                    }
                    List<DatasetInput> inputs = new ArrayList<>();
                    datasets.forEach((id, dataset) -> inputs.add(new DatasetInput(tags.get(id), dataset)));
                    return inputs;
                });
    }

    private static RunInfo toInfo(Row row) {
        String runId = row.getString(0);
        return new RunInfo(runId, runId, row.getString(1), String.valueOf(row.getLong(2)), row.getString(3),
                RunStatus.valueOf(row.getString(4)), row.getLong(5), row.getLong(6), row.getString(7),
                LifecycleStage.valueOf(row.getString(8)));
    }
}
