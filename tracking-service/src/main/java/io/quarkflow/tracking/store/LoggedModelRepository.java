package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.LoggedModelInfo;
import io.quarkflow.tracking.domain.LoggedModelParameter;
import io.quarkflow.tracking.domain.LoggedModelStatus;
import io.quarkflow.tracking.domain.LoggedModelTag;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.store.LoggingRepository.ParamConflict;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** SQL for MLflow 3 logged models: their rows, params, tags and metrics. Batches are one statement each (unnest). */
@ApplicationScoped
public class LoggedModelRepository {

    /** The model columns in the order {@link #toRow} reads them; searches select them from alias "lm". */
    static final List<String> MODEL_COLUMNS = List.of("model_id", "experiment_id", "name", "creation_timestamp_ms",
            "last_updated_timestamp_ms", "artifact_location", "status", "model_type", "source_run_id",
            "lifecycle_stage");
    static final String ALIASED_COLUMNS = String.join(", ", MODEL_COLUMNS.stream().map(column -> "lm." + column).toList());
    private static final String COLUMNS = String.join(", ", MODEL_COLUMNS);

    /** A model without its tags, and its lifecycle stage, which MLflow keeps off the wire. */
    public record ModelRow(LoggedModelInfo info, LifecycleStage lifecycleStage) {
    }

    /** A logged-models/search row plus its sort-key values (for the next page's token). */
    public record SearchRow(LoggedModelInfo info, List<Object> sortKeys) {
    }

    public Uni<Void> insert(SqlClient client, LoggedModelInfo info) {
        return client.preparedQuery("insert into logged_models (" + COLUMNS + ") "
                        + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.from(new Object[] {info.modelId(), Long.parseLong(info.experimentId()), info.name(),
                    info.creationTimestampMs(), info.lastUpdatedTimestampMs(), info.artifactUri(),
                    (short) info.status().number(), info.modelType(), info.sourceRunId(), LifecycleStage.active.name()}))
                .replaceWithVoid();
    }

    /** The model in any lifecycle stage, or null. */
    public Uni<ModelRow> find(SqlClient client, String modelId) {
        return client.preparedQuery("select " + COLUMNS + " from logged_models where model_id = $1")
                .execute(Tuple.of(modelId))
                .map(rows -> Rows.first(rows, LoggedModelRepository::toRow));
    }

    /** As {@link #find}, locking the row until the transaction ends, so that concurrent changes see each other. */
    public Uni<ModelRow> findForUpdate(SqlClient client, String modelId) {
        return client.preparedQuery("select " + COLUMNS + " from logged_models where model_id = $1 for update")
                .execute(Tuple.of(modelId))
                .map(rows -> Rows.first(rows, LoggedModelRepository::toRow));
    }

    /** Which of the ids name a model, in any lifecycle stage. */
    public Uni<Set<String>> existing(SqlClient client, String[] modelIds) {
        return client.preparedQuery("select model_id from logged_models where model_id = any($1)")
                .execute(Tuple.of((Object) modelIds))
                .map(rows -> Set.copyOf(Rows.map(rows, row -> row.getString(0))));
    }

    public Uni<Void> setStatus(SqlClient client, String modelId, LoggedModelStatus status, long now) {
        return client.preparedQuery("update logged_models set status = $2, last_updated_timestamp_ms = $3 "
                        + "where model_id = $1")
                .execute(Tuple.of(modelId, (short) status.number(), now))
                .replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient client, String modelId, long now) {
        return client.preparedQuery("update logged_models set lifecycle_stage = $2, last_updated_timestamp_ms = $3 "
                        + "where model_id = $1")
                .execute(Tuple.of(modelId, LifecycleStage.deleted.name(), now))
                .replaceWithVoid();
    }

    /** @param params sorted by key, so that concurrent writers lock rows in the same order */
    public Uni<Void> insertParams(SqlClient client, String modelId, List<LoggedModelParameter> params) {
        if (params.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into logged_model_params (model_id, key, value) "
                        + "select $1, k, v from unnest($2::text[], $3::text[]) as p(k, v) on conflict do nothing")
                .execute(Tuple.of(modelId, paramKeys(params), paramValues(params)))
                .replaceWithVoid();
    }

    /** Run after {@link #insertParams}: any stored value that differs was logged before (or concurrently). */
    public Uni<List<ParamConflict>> conflictingParams(SqlClient client, String modelId, List<LoggedModelParameter> params) {
        if (params.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("select p.key, p.value, n.v from unnest($2::text[], $3::text[]) as n(k, v) "
                        + "join logged_model_params p on p.model_id = $1 and p.key = n.k where p.value <> n.v "
                        + "order by p.key")
                .execute(Tuple.of(modelId, paramKeys(params), paramValues(params)))
                .map(rows -> Rows.map(rows, row -> new ParamConflict(row.getString(0), row.getString(1), row.getString(2))));
    }

    /** @param tags at most one per key, sorted by key */
    public Uni<Void> upsertTags(SqlClient client, String modelId, List<LoggedModelTag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into logged_model_tags (model_id, key, value) "
                        + "select $1, k, v from unnest($2::text[], $3::text[]) as t(k, v) "
                        + "on conflict (model_id, md5(key)) do update set value = excluded.value")
                .execute(Tuple.of(modelId, tags.stream().map(LoggedModelTag::key).toArray(String[]::new),
                        tags.stream().map(LoggedModelTag::value).toArray(String[]::new)))
                .replaceWithVoid();
    }

    public Uni<Boolean> deleteTag(SqlClient client, String modelId, String key) {
        return client.preparedQuery("delete from logged_model_tags where model_id = $1 and key = $2")
                .execute(Tuple.of(modelId, key))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Links a run's points to the models they name; a point the model has already is kept once.
     *
     * @param metrics validated points that carry a model id, in the primary key's order
     */
    public Uni<Void> insertMetrics(SqlClient client, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = metrics.size();
        String[] models = new String[size];
        String[] keys = new String[size];
        Long[] timestamps = new Long[size];
        Long[] steps = new Long[size];
        Double[] values = new Double[size];
        Boolean[] nans = new Boolean[size];
        String[] datasetNames = new String[size];
        String[] datasetDigests = new String[size];
        for (int i = 0; i < size; i++) {
            Metric metric = metrics.get(i);
            models[i] = metric.modelId();
            keys[i] = metric.key();
            timestamps[i] = metric.timestamp();
            steps[i] = metric.step();
            values[i] = TrackingRules.storedValue(metric.value());
            nans[i] = Double.isNaN(metric.value());
            datasetNames[i] = metric.datasetName();
            datasetDigests[i] = metric.datasetDigest();
        }
        return client.preparedQuery("insert into logged_model_metrics (model_id, key, ts, step, value, is_nan, run_uuid, "
                        + "dataset_name, dataset_digest) select m, k, t, s, v, n, $1, dn, dd from unnest($2::text[], "
                        + "$3::text[], $4::int8[], $5::int8[], $6::float8[], $7::bool[], $8::text[], $9::text[]) "
                        + "as p(m, k, t, s, v, n, dn, dd) on conflict do nothing")
                .execute(Tuple.from(new Object[] {runId, models, keys, timestamps, steps, values, nans, datasetNames,
                    datasetDigests}))
                .replaceWithVoid();
    }

    public Uni<Map<String, List<LoggedModelTag>>> tagsOf(SqlClient client, String[] modelIds) {
        return client.preparedQuery("select key, value, model_id from logged_model_tags where model_id = any($1) "
                        + "order by model_id, key")
                .execute(Tuple.of((Object) modelIds))
                .map(rows -> group(rows, row -> new LoggedModelTag(row.getString(0), row.getString(1))));
    }

    public Uni<Map<String, List<LoggedModelParameter>>> paramsOf(SqlClient client, String[] modelIds) {
        return client.preparedQuery("select key, value, model_id from logged_model_params where model_id = any($1) "
                        + "order by model_id, key")
                .execute(Tuple.of((Object) modelIds))
                .map(rows -> group(rows, row -> new LoggedModelParameter(row.getString(0), row.getString(1))));
    }

    /** Every point logged with each model's id, by key, then in time order. */
    public Uni<Map<String, List<Metric>>> metricsOf(SqlClient client, String[] modelIds) {
        return client.preparedQuery("select key, value, is_nan, ts, step, dataset_name, dataset_digest, run_uuid, "
                        + "model_id from logged_model_metrics where model_id = any($1) "
                        + "order by model_id, key, ts, step, value, is_nan, run_uuid")
                .execute(Tuple.of((Object) modelIds))
                .map(rows -> group(rows, row -> new Metric(row.getString(0), MetricRepository.value(row),
                        row.getLong(3), row.getLong(4), row.getString(5), row.getString(6), row.getString(8),
                        row.getString(7))));
    }

    /** A search built by {@link LoggedModelSearchSql}; each row carries {@code keyCount} sort keys after the model. */
    public Uni<List<SearchRow>> search(SqlClient client, LoggedModelSearchSql.Query query) {
        return client.preparedQuery(query.sql())
                .execute(Tuple.from(query.args()))
                .map(rows -> Rows.map(rows, row -> {
                    List<Object> keys = new ArrayList<>(query.keyCount());
                    for (int i = 0; i < query.keyCount(); i++) {
                        keys.add(row.getValue(MODEL_COLUMNS.size() + i));
                    }
                    return new SearchRow(toRow(row).info(), keys);
                }));
    }

    /** Groups rows by model; each query puts model_id in its last column. */
    private static <T> Map<String, List<T>> group(RowSet<Row> rows, Function<Row, T> mapper) {
        Map<String, List<T>> byModel = new HashMap<>();
        for (Row row : rows) {
            byModel.computeIfAbsent(row.getString(row.size() - 1), id -> new ArrayList<>()).add(mapper.apply(row));
        }
        return byModel;
    }

    private static ModelRow toRow(Row row) {
        return new ModelRow(new LoggedModelInfo(row.getString(0), String.valueOf(row.getLong(1)), row.getString(2),
                row.getLong(3), row.getLong(4), row.getString(5), LoggedModelStatus.of(row.getShort(6)),
                row.getString(7), row.getString(8), List.of()), LifecycleStage.valueOf(row.getString(9)));
    }

    private static String[] paramKeys(List<LoggedModelParameter> params) {
        return params.stream().map(LoggedModelParameter::key).toArray(String[]::new);
    }

    private static String[] paramValues(List<LoggedModelParameter> params) {
        return params.stream().map(LoggedModelParameter::value).toArray(String[]::new);
    }
}
