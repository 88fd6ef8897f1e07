package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Dataset;
import io.quarkflow.tracking.domain.DatasetInput;
import io.quarkflow.tracking.domain.InputTag;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.ModelInput;
import io.quarkflow.tracking.domain.ModelOutput;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunStatus;
import io.quarkflow.tracking.domain.RunTag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** SQL for run rows and for reading a run's data (params, tags, latest metrics, inputs, model outputs). */
@ApplicationScoped
public class RunRepository {

    /** The run columns in the order {@link #toInfo} reads them; searches select them from alias "r". */
    static final List<String> RUN_COLUMNS = List.of("run_uuid", "name", "experiment_id", "user_id", "status",
            "start_time", "end_time", "artifact_uri", "lifecycle_stage");
    static final String ALIASED_COLUMNS = String.join(", ", RUN_COLUMNS.stream().map(column -> "r." + column).toList());
    private static final String COLUMNS = String.join(", ", RUN_COLUMNS);

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

    /** Which of the ids name a run. */
    public Uni<Set<String>> existing(SqlClient client, String[] runIds) {
        return client.preparedQuery("select run_uuid from runs where run_uuid = any($1)")
                .execute(Tuple.of((Object) runIds))
                .map(rows -> Set.copyOf(Rows.map(rows, row -> row.getString(0))));
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

    public Uni<List<RunTag>> tags(SqlClient client, String runId) {
        return tagsOf(client, new String[] {runId}).map(byRun -> byRun.getOrDefault(runId, List.of()));
    }

    public Uni<Map<String, List<DatasetInput>>> inputsOf(SqlClient client, String[] runIds) {
        return client.preparedQuery("select i.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, "
                        + "d.schema, d.profile, t.key, t.value from run_inputs i "
                        + "join datasets d on d.dataset_uuid = i.dataset_uuid "
                        + "left join run_input_tags t on t.run_uuid = i.run_uuid and t.dataset_uuid = i.dataset_uuid "
                        + "where i.run_uuid = any($1) order by i.run_uuid, d.name, d.digest, t.key")
                .execute(Tuple.of((Object) runIds))
                .map(RunRepository::toInputs);
    }

    /** The logged models each run produced (runs/outputs), by model id. */
    public Uni<Map<String, List<ModelOutput>>> modelOutputsOf(SqlClient client, String[] runIds) {
        return client.preparedQuery("select model_id, step, run_uuid from run_model_outputs where run_uuid = any($1) "
                        + "order by run_uuid, model_id")
                .execute(Tuple.of((Object) runIds))
                .map(rows -> group(rows, row -> new ModelOutput(row.getString(0), row.getLong(1))));
    }

    /** The logged models each run used (runs/log-inputs), by model id. */
    public Uni<Map<String, List<ModelInput>>> modelInputsOf(SqlClient client, String[] runIds) {
        return client.preparedQuery("select model_id, run_uuid from run_model_inputs where run_uuid = any($1) "
                        + "order by run_uuid, model_id")
                .execute(Tuple.of((Object) runIds))
                .map(rows -> group(rows, row -> new ModelInput(row.getString(0))));
    }

    /** Rows are one per (run, dataset, tag); folds them into each run's dataset inputs with their tags. */
    private static Map<String, List<DatasetInput>> toInputs(RowSet<Row> rows) {
        Map<String, Map<String, DatasetInput>> byRun = new LinkedHashMap<>();
        for (Row row : rows) {
            DatasetInput input = byRun.computeIfAbsent(row.getString(0), id -> new LinkedHashMap<>())
                    .computeIfAbsent(row.getString(1), id -> new DatasetInput(new ArrayList<>(), new Dataset(
                            row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getString(6),
                            row.getString(7))));
            if (row.getString(8) != null) {
                input.tags().add(new InputTag(row.getString(8), row.getString(9)));
            }
        }
        Map<String, List<DatasetInput>> result = new HashMap<>();
        byRun.forEach((runId, inputs) -> result.put(runId, List.copyOf(inputs.values())));
        return result;
    }

    /** A runs/search page: run rows plus each row's sort-key values (for the next page's token). */
    public record SearchRow(RunInfo info, List<Object> sortKeys) {
    }

    /** Runs the segments in order until {@code limit} rows are found; each row carries {@code keyCount} sort keys. */
    public Uni<List<SearchRow>> search(SqlClient client, List<RunSearchSql.Segment> segments, int keyCount, int limit) {
        return searchFrom(client, segments, keyCount, limit, new ArrayList<>());
    }

    private Uni<List<SearchRow>> searchFrom(SqlClient client, List<RunSearchSql.Segment> segments, int keyCount,
                                            int limit, List<SearchRow> found) {
        if (segments.isEmpty() || found.size() >= limit) {
            return Uni.createFrom().item(found);
        }
        RunSearchSql.Segment segment = segments.get(0);
        return client.preparedQuery(segment.sql())
                .execute(Tuple.from(segment.args()))
                .chain(rows -> {
                    for (Row row : rows) {
                        if (found.size() < limit) {
                            found.add(toSearchRow(row, keyCount));
                        }
                    }
                    return searchFrom(client, segments.subList(1, segments.size()), keyCount, limit, found);
                });
    }

    private static SearchRow toSearchRow(Row row, int keyCount) {
        List<Object> keys = new ArrayList<>(keyCount);
        for (int i = 0; i < keyCount; i++) {
            keys.add(row.getValue(RUN_COLUMNS.size() + i));
        }
        return new SearchRow(toInfo(row), keys);
    }

    public Uni<Map<String, List<Param>>> paramsOf(SqlClient client, String[] runIds) {
        return client.preparedQuery("select key, value, run_uuid from params where run_uuid = any($1) order by run_uuid, key")
                .execute(Tuple.of((Object) runIds))
                .map(rows -> group(rows, row -> new Param(row.getString(0), row.getString(1))));
    }

    public Uni<Map<String, List<RunTag>>> tagsOf(SqlClient client, String[] runIds) {
        return client.preparedQuery("select key, value, run_uuid from tags where run_uuid = any($1) order by run_uuid, key")
                .execute(Tuple.of((Object) runIds))
                .map(rows -> group(rows, row -> new RunTag(row.getString(0), row.getString(1))));
    }

    public Uni<Map<String, List<Metric>>> latestMetricsOf(SqlClient client, String[] runIds) {
        return client.preparedQuery("select key, value, is_nan, ts, step, run_uuid from latest_metrics "
                        + "where run_uuid = any($1) order by run_uuid, key")
                .execute(Tuple.of((Object) runIds))
                .map(rows -> group(rows, MetricRepository::toMetric));
    }

    /** Groups rows by run; each query puts run_uuid in its last column. */
    private static <T> Map<String, List<T>> group(RowSet<Row> rows, Function<Row, T> mapper) {
        Map<String, List<T>> byRun = new HashMap<>();
        for (Row row : rows) {
            byRun.computeIfAbsent(row.getString(row.size() - 1), id -> new ArrayList<>()).add(mapper.apply(row));
        }
        return byRun;
    }

    private static RunInfo toInfo(Row row) {
        String runId = row.getString(0);
        return new RunInfo(runId, runId, row.getString(1), String.valueOf(row.getLong(2)), row.getString(3),
                RunStatus.valueOf(row.getString(4)), row.getLong(5), row.getLong(6), row.getString(7),
                LifecycleStage.valueOf(row.getString(8)));
    }
}
