package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Dataset;
import io.quarkflow.tracking.domain.InputTag;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.ModelInput;
import io.quarkflow.tracking.domain.ModelOutput;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkflow.tracking.domain.TrackingRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Writes a run's params, tags, metrics and inputs. Each write is one set-based statement over arrays
 * (unnest), so a batch of 1000 metrics costs one round trip. Callers pass rows sorted by key so that
 * concurrent writers to the same run take row locks in the same order and cannot deadlock.
 */
@ApplicationScoped
public class LoggingRepository {

    private static final String EXPERIMENT_OF_RUN = "(select experiment_id from runs where run_uuid = $1)";
    /** A history batch: key, step, timestamp, value, NaN flag, then model id, dataset name and digest. */
    private static final String HISTORY_ROWS = "unnest($2::text[], $3::int8[], $4::int8[], $5::float8[], $6::bool[], "
            + "$7::text[], $8::text[], $9::text[]) as m(k, s, t, v, n, mi, dn, dd)";
    private static final String INSERT_HISTORY = "insert into metrics (run_uuid, key, step, ts, value, is_nan, model_id, "
            + "dataset_name, dataset_digest) select $1, k, s, t, v, n, mi, dn, dd from " + HISTORY_ROWS;
    /** Latest points, one per key: key, step, timestamp, value, NaN flag. */
    private static final String LATEST_ROWS =
            "unnest($2::text[], $3::int8[], $4::int8[], $5::float8[], $6::bool[]) as m(k, s, t, v, n)";
    private static final String UPSERT_LATEST = " on conflict (run_uuid, key) do update set step = excluded.step, "
            + "ts = excluded.ts, value = excluded.value, is_nan = excluded.is_nan "
            + "where (excluded.step, excluded.ts, excluded.value) "
            + "> (latest_metrics.step, latest_metrics.ts, latest_metrics.value)";

    /** A param that already had another value. */
    public record ParamConflict(String key, String oldValue, String newValue) {
    }

    public Uni<Void> insertParams(SqlClient client, String runId, List<Param> params) {
        if (params.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into params (run_uuid, experiment_id, key, value) "
                        + "select $1, " + EXPERIMENT_OF_RUN + ", k, v from unnest($2::text[], $3::text[]) as p(k, v) "
                        + "on conflict (run_uuid, key) do nothing")
                .execute(Tuple.of(runId, keys(params), params.stream().map(Param::value).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Run after {@link #insertParams}: any stored value that differs was logged before (or concurrently). */
    public Uni<List<ParamConflict>> conflictingParams(SqlClient client, String runId, List<Param> params) {
        if (params.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("select p.key, p.value, n.v from unnest($2::text[], $3::text[]) as n(k, v) "
                        + "join params p on p.run_uuid = $1 and p.key = n.k where p.value <> n.v order by p.key")
                .execute(Tuple.of(runId, keys(params), params.stream().map(Param::value).toArray(String[]::new)))
                .map(rows -> Rows.map(rows, row -> new ParamConflict(row.getString(0), row.getString(1), row.getString(2))));
    }

    /** @param tags at most one per key */
    public Uni<Void> upsertTags(SqlClient client, String runId, List<RunTag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into tags (run_uuid, experiment_id, key, value) "
                        + "select $1, " + EXPERIMENT_OF_RUN + ", k, v from unnest($2::text[], $3::text[]) as t(k, v) "
                        + "on conflict (run_uuid, key) do update set value = excluded.value")
                .execute(Tuple.of(runId, tags.stream().map(RunTag::key).toArray(String[]::new),
                        tags.stream().map(RunTag::value).toArray(String[]::new)))
                .replaceWithVoid();
    }

    public Uni<Boolean> deleteTag(SqlClient client, String runId, String key) {
        return client.preparedQuery("delete from tags where run_uuid = $1 and key = $2")
                .execute(Tuple.of(runId, key))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Appends to the history; a point identical to a stored one is silently kept once, with the model id and
     * dataset it was first logged with (they are not part of the key).
     */
    public Uni<Void> insertMetrics(SqlClient client, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(INSERT_HISTORY + " on conflict do nothing")
                .execute(historyArrays(runId, metrics))
                .replaceWithVoid();
    }

    /** @param latest at most one point per key: the batch's latest, which replaces the stored one if later */
    public Uni<Void> upsertLatestMetrics(SqlClient client, String runId, List<Metric> latest) {
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into latest_metrics (run_uuid, experiment_id, key, step, ts, value, is_nan) "
                        + "select $1, " + EXPERIMENT_OF_RUN + ", k, s, t, v, n from " + LATEST_ROWS + UPSERT_LATEST)
                .execute(latestArrays(runId, latest))
                .replaceWithVoid();
    }

    /**
     * A batch of metrics only (what training loops send) in one statement, so one round trip and no explicit
     * transaction: the statement is atomic, and it writes nothing unless the run is active.
     *
     * @return the run's lifecycle stage, or null when there is no such run
     */
    public Uni<String> logMetricsOnly(SqlClient client, String runId, List<Metric> metrics, List<Metric> latest) {
        Tuple args = historyArrays(runId, metrics);
        Tuple latestArgs = latestArrays(runId, latest);
        for (int i = 1; i < latestArgs.size(); i++) {
            args.addValue(latestArgs.getValue(i));
        }
        return client.preparedQuery("with run as (select experiment_id, lifecycle_stage from runs where run_uuid = $1), "
                        + "active as (select experiment_id from run where lifecycle_stage = 'active'), "
                        + "history as (" + INSERT_HISTORY + " where exists (select 1 from active) on conflict do nothing), "
                        + "latest as (insert into latest_metrics (run_uuid, experiment_id, key, step, ts, value, is_nan) "
                        + "select $1, a.experiment_id, k, s, t, v, n from active a, "
                        + "unnest($10::text[], $11::int8[], $12::int8[], $13::float8[], $14::bool[]) as m(k, s, t, v, n)"
                        + UPSERT_LATEST + ") "
                        + "select lifecycle_stage from run")
                .execute(args)
                .map(rows -> Rows.first(rows, row -> row.getString(0)));
    }

    /** Returns the id of the experiment's dataset with this name and digest, creating it on first use. */
    public Uni<String> upsertDataset(SqlClient client, long experimentId, Dataset dataset) {
        return client.preparedQuery("insert into datasets (dataset_uuid, experiment_id, name, digest, source_type, "
                        + "source, schema, profile) values ($1, $2, $3, $4, $5, $6, $7, $8) "
                        + "on conflict (experiment_id, name, digest) do update set name = excluded.name "
                        + "returning dataset_uuid")
                .execute(Tuple.from(new Object[] {UUID.randomUUID().toString().replace("-", ""), experimentId,
                    dataset.name(), dataset.digest(), dataset.sourceType(), dataset.source(), dataset.schema(),
                    dataset.profile()}))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** Links the dataset to the run with its tags, unless it is linked already (then nothing changes, as in MLflow). */
    public Uni<Void> insertRunInput(SqlClient client, String runId, String datasetId, List<InputTag> tags) {
        return client.preparedQuery("insert into run_inputs (run_uuid, dataset_uuid) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(runId, datasetId))
                .chain(rows -> rows.rowCount() == 0 || tags.isEmpty() ? Uni.createFrom().voidItem()
                        : client.preparedQuery("insert into run_input_tags (run_uuid, dataset_uuid, key, value) "
                                        + "select $1, $2, k, v from unnest($3::text[], $4::text[]) as t(k, v) "
                                        + "on conflict do nothing")
                                .execute(Tuple.of(runId, datasetId, tags.stream().map(InputTag::key).toArray(String[]::new),
                                        tags.stream().map(InputTag::value).toArray(String[]::new)))
                                .replaceWithVoid());
    }

    /** One row per (run, model): a model logged again keeps its first step, as MLflow's unique index keeps one. */
    public Uni<Void> insertModelOutputs(SqlClient client, String runId, List<ModelOutput> outputs) {
        if (outputs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into run_model_outputs (run_uuid, model_id, step) "
                        + "select $1, m, s from unnest($2::text[], $3::int8[]) as o(m, s) on conflict do nothing")
                .execute(Tuple.of(runId, outputs.stream().map(ModelOutput::modelId).toArray(String[]::new),
                        outputs.stream().map(ModelOutput::step).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> insertModelInputs(SqlClient client, String runId, List<ModelInput> inputs) {
        if (inputs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into run_model_inputs (run_uuid, model_id) "
                        + "select $1, m from unnest($2::text[]) as i(m) on conflict do nothing")
                .execute(Tuple.of(runId, inputs.stream().map(ModelInput::modelId).toArray(String[]::new)))
                .replaceWithVoid();
    }

    private static String[] keys(List<Param> params) {
        return params.stream().map(Param::key).toArray(String[]::new);
    }

    private static Tuple historyArrays(String runId, List<Metric> metrics) {
        Tuple args = latestArrays(runId, metrics);
        args.addValue(metrics.stream().map(Metric::modelId).toArray(String[]::new));
        args.addValue(metrics.stream().map(Metric::datasetName).toArray(String[]::new));
        args.addValue(metrics.stream().map(Metric::datasetDigest).toArray(String[]::new));
        return args;
    }

    private static Tuple latestArrays(String runId, List<Metric> metrics) {
        int size = metrics.size();
        String[] keys = new String[size];
        Long[] steps = new Long[size];
        Long[] timestamps = new Long[size];
        Double[] values = new Double[size];
        Boolean[] nans = new Boolean[size];
        for (int i = 0; i < size; i++) {
            Metric metric = metrics.get(i);
            keys[i] = metric.key();
            steps[i] = metric.step();
            timestamps[i] = metric.timestamp();
            values[i] = TrackingRules.storedValue(metric.value());
            nans[i] = Double.isNaN(metric.value());
        }
        return Tuple.from(new Object[] {runId, keys, steps, timestamps, values, nans});
    }
}
