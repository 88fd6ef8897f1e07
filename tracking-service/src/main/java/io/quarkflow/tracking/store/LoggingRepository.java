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

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a run's params, tags, metrics and inputs. Each write is one set-based statement over arrays (unnest), so a
 * batch of 1000 metrics costs one round trip, and so do the metric points of many requests. Callers pass rows sorted
 * by key so that concurrent writers to the same run take row locks in the same order and cannot deadlock.
 */
@ApplicationScoped
public class LoggingRepository {

    private static final String EXPERIMENT_OF_RUN = "(select experiment_id from runs where run_uuid = $1)";
    private static final String UPSERT_LATEST = " on conflict (run_uuid, key) do update set step = excluded.step, "
            + "ts = excluded.ts, value = excluded.value, is_nan = excluded.is_nan "
            + "where (excluded.step, excluded.ts, excluded.value) "
            + "> (latest_metrics.step, latest_metrics.ts, latest_metrics.value)";
    /** The runs named ($16) as they are, and each one's experiment if it is active ({@code active}: see LOG_METRICS). */
    private static final String RUNS_NAMED = "with run as (select run_uuid, experiment_id, lifecycle_stage from runs "
            + "where run_uuid = any($16::text[])), "
            + "active as (select array_agg(run.experiment_id order by u.o) as experiments from unnest($16::text[]) "
            + "with ordinality as u(id, o) left join run on run.run_uuid = u.id and run.lifecycle_stage = 'active'), ";
    /**
     * The history rows ($1-$9) of active runs, inserted as one metric_chunks row per run, its points as arrays in the
     * order given, at most {@link #CHUNK} points a row. Nothing there can conflict: a point logged again is stored again, and reads drop repeats. The run
     * id becomes a uuid only for a run found active, so only for a well-formed one.
     */
    /**
     * Points in one metric_chunks row at most: a row stays within a page (toast_tuple_target), its arrays neither
     * compressed nor moved out of line, so that a read takes a point at its place in them without unpacking them.
     */
    private static final int CHUNK = 100;
    private static final String INSERT_HISTORY = "history as (insert into metric_chunks (run_uuid, keys, steps, ts, "
            + "vals, nans, model_ids, dataset_names, dataset_digests) select (($16::text[])[r])::uuid, array_agg(k order by o), "
            + "array_agg(s order by o), array_agg(t order by o), array_agg(v order by o), array_agg(n order by o), "
            + "array_agg(mi order by o), array_agg(dn order by o), array_agg(dd order by o) "
            + "from unnest($1::int4[], $2::text[], $3::int8[], $4::int8[], $5::float8[], $6::bool[], $7::text[], "
            + "$8::text[], $9::text[]) with ordinality as m(r, k, s, t, v, n, mi, dn, dd, o) "
            + "where (select experiments from active)[r] is not null group by r, (o - 1) / " + CHUNK;
    /** The latest rows ($10-$15) with their run id and, when the run is active, its experiment ({@code e}). */
    private static final String LATEST_POINTS = "select m.*, ($16::text[])[r] as id, (select experiments from active)[r] "
            + "as e from unnest($10::int4[], $11::text[], $12::int8[], $13::int8[], $14::float8[], $15::bool[]) "
            + "as m(r, k, s, t, v, n)";
    /**
     * History rows ($1-$9: run, key, step, timestamp, value, NaN flag, model id, dataset name and digest), latest
     * rows ($10-$15: run, key, step, timestamp, value, NaN flag), the runs named ($16). A row names its run by its
     * position in $16 (from 1). {@code active} is each named run's experiment, null unless the run is active, in the
     * order of $16: one lookup per run, evaluated once (an init plan), so each row's check is an array subscript
     * rather than a scan of the runs. A latest row is inserted or raised (ON CONFLICT, which PostgreSQL pays for with
     * a speculative insertion per row).
     */
    private static final String LOG_METRICS = RUNS_NAMED + INSERT_HISTORY + "), "
            + "latest as (insert into latest_metrics (run_uuid, experiment_id, key, step, ts, value, is_nan) "
            + "select id, e, k, s, t, v, n from (" + LATEST_POINTS + ") as l where e is not null" + UPSERT_LATEST + ") "
            + "select run_uuid, lifecycle_stage from run";
    /**
     * LOG_METRICS without ON CONFLICT: the latest rows updated where they exist and inserted where they do not, each
     * row found through its primary key in the order of the rows given (a nested loop over {@code points}); cheaper
     * per point. A latest row another statement inserts at the same time fails it with a unique violation and nothing
     * is written: the caller then writes the points again with LOG_METRICS.
     */
    private static final String LOG_NEW_METRICS = RUNS_NAMED + INSERT_HISTORY + "), "
            + "points as (" + LATEST_POINTS + "), "
            + "updated as (update latest_metrics l set step = p.s, ts = p.t, value = p.v, is_nan = p.n from points p "
            + "where p.e is not null and l.run_uuid = p.id and l.key = p.k "
            + "and (p.s, p.t, p.v) > (l.step, l.ts, l.value)), "
            + "created as (insert into latest_metrics (run_uuid, experiment_id, key, step, ts, value, is_nan) "
            + "select p.id, p.e, p.k, p.s, p.t, p.v, p.n from points p where p.e is not null and not exists "
            + "(select 1 from latest_metrics l where l.run_uuid = p.id and l.key = p.k)) "
            + "select run_uuid, lifecycle_stage from run";

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
     * Metric points of several requests, possibly for several runs, in one statement: one round trip, one commit,
     * and nothing written to a run that is not active. Atomic as a whole. Rows must come sorted by run, then by
     * key (latest_metrics' primary key), one latest row per run and key, so that concurrent statements lock rows in
     * one order; the statement keeps that order (the run's stage is a scalar subquery, not a join the planner could
     * reorder). Any point may have been logged before.
     *
     * @param history points with their run id
     * @param latest    points with their run id
     * @return the lifecycle stage of each named run that exists
     */
    public Uni<Map<String, String>> logMetrics(SqlClient client, List<Metric> history, List<Metric> latest) {
        return logMetrics(client, LOG_METRICS, history, latest);
    }

    /**
     * {@link #logMetrics} at less cost. It fails with a unique violation, writing nothing, when another statement
     * inserts the first latest value of one of its keys at the same time: write them with {@link #logMetrics} then.
     */
    public Uni<Map<String, String>> logNewMetrics(SqlClient client, List<Metric> history, List<Metric> latest) {
        return logMetrics(client, LOG_NEW_METRICS, history, latest);
    }

    private Uni<Map<String, String>> logMetrics(SqlClient client, String sql, List<Metric> history, List<Metric> latest) {
        if (history.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<String, Integer> positions = new LinkedHashMap<>();
        Stream.concat(history.stream(), latest.stream())
                .forEach(metric -> positions.putIfAbsent(metric.runId(), positions.size() + 1));
        Tuple args = pointArrays(history, positions);
        args.addValue(history.stream().map(Metric::modelId).toArray(String[]::new));
        args.addValue(history.stream().map(Metric::datasetName).toArray(String[]::new));
        args.addValue(history.stream().map(Metric::datasetDigest).toArray(String[]::new));
        Tuple latestArgs = pointArrays(latest, positions);
        for (int i = 0; i < latestArgs.size(); i++) {
            args.addValue(latestArgs.getValue(i));
        }
        args.addValue(positions.keySet().toArray(String[]::new));
        return client.preparedQuery(sql).execute(args).map(rows -> {
            Map<String, String> stages = new HashMap<>();
            rows.forEach(row -> stages.put(row.getString(0), row.getString(1)));
            return stages;
        });
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

    /** run (its position), key, step, timestamp, value and NaN flag of each point, as arrays. */
    private static Tuple pointArrays(List<Metric> metrics, Map<String, Integer> runPositions) {
        int size = metrics.size();
        Integer[] runs = new Integer[size];
        String[] keys = new String[size];
        Long[] steps = new Long[size];
        Long[] timestamps = new Long[size];
        Double[] values = new Double[size];
        Boolean[] nans = new Boolean[size];
        for (int i = 0; i < size; i++) {
            Metric metric = metrics.get(i);
            runs[i] = runPositions.get(metric.runId());
            keys[i] = metric.key();
            steps[i] = metric.step();
            timestamps[i] = metric.timestamp();
            values[i] = TrackingRules.storedValue(metric.value());
            nans[i] = Double.isNaN(metric.value());
        }
        return Tuple.from(new Object[] {runs, keys, steps, timestamps, values, nans});
    }
}
