package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.DatasetSummary;
import io.quarkflow.tracking.domain.Experiment;
import io.quarkflow.tracking.domain.ExperimentTag;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** SQL for experiments and their tags. Every method takes the client so callers choose the transaction. */
@ApplicationScoped
public class ExperimentRepository {

    /** An experiment row without tags; tags are read separately. */
    public record ExperimentRow(long id, String name, String artifactLocation, LifecycleStage lifecycleStage,
                                long creationTime, long lastUpdateTime) {

        public Experiment withTags(List<ExperimentTag> tags) {
            return new Experiment(String.valueOf(id), name, artifactLocation, lifecycleStage, lastUpdateTime,
                    creationTime, tags);
        }
    }

    private static final String COLUMNS =
            "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    public Uni<Long> nextId(SqlClient client) {
        return client.query("select nextval('experiment_id_seq')").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Inserts unless the name is taken (by an active or a deleted experiment); returns whether it inserted. */
    public Uni<Boolean> insert(SqlClient client, long id, String name, String artifactLocation, long now) {
        return client.preparedQuery("insert into experiments (" + COLUMNS + ") values ($1, $2, $3, 'active', $4, $4) "
                        + "on conflict (name) do nothing")
                .execute(Tuple.of(id, name, artifactLocation, now))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<ExperimentRow> findById(SqlClient client, long id) {
        return client.preparedQuery("select " + COLUMNS + " from experiments where experiment_id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, ExperimentRepository::toRow));
    }

    public Uni<ExperimentRow> findByName(SqlClient client, String name) {
        return client.preparedQuery("select " + COLUMNS + " from experiments where name = $1")
                .execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, ExperimentRepository::toRow));
    }

    public Uni<Boolean> rename(SqlClient client, long id, String newName, long now) {
        return client.preparedQuery("update experiments set name = $2, last_update_time = $3 where experiment_id = $1 "
                        + "and not exists (select 1 from experiments other where other.name = $2 and other.experiment_id <> $1)")
                .execute(Tuple.of(id, newName, now))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Moves the experiment and all its runs to the stage, as MLflow's delete/restore do; returns the runs it moved. */
    public Uni<List<String>> setLifecycleStage(SqlClient client, long id, LifecycleStage stage, long now) {
        Long deletedTime = stage == LifecycleStage.deleted ? now : null;
        return client.preparedQuery("update experiments set lifecycle_stage = $2, last_update_time = $3 "
                        + "where experiment_id = $1")
                .execute(Tuple.of(id, stage.name(), now))
                .chain(() -> client.preparedQuery("update runs set lifecycle_stage = $2, deleted_time = $3 "
                                + "where experiment_id = $1 and lifecycle_stage <> $2 returning run_uuid")
                        .execute(Tuple.of(id, stage.name(), deletedTime)))
                .map(rows -> Rows.map(rows, row -> row.getString(0)));
    }

    public Uni<Void> upsertTags(SqlClient client, long id, List<ExperimentTag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ExperimentTag> lastPerKey = tags.stream()
                .collect(Collectors.toMap(ExperimentTag::key, t -> t, (first, second) -> second, TreeMap::new))
                .values().stream().toList();
        return client.preparedQuery("insert into experiment_tags (experiment_id, key, value) "
                        + "select $1, k, v from unnest($2::text[], $3::text[]) as t(k, v) "
                        + "on conflict (experiment_id, key) do update set value = excluded.value")
                .execute(Tuple.of(id, lastPerKey.stream().map(ExperimentTag::key).toArray(String[]::new),
                        lastPerKey.stream().map(ExperimentTag::value).toArray(String[]::new)))
                .replaceWithVoid();
    }

    public Uni<Boolean> deleteTag(SqlClient client, long id, String key) {
        return client.preparedQuery("delete from experiment_tags where experiment_id = $1 and key = $2")
                .execute(Tuple.of(id, key))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<ExperimentTag>> tags(SqlClient client, long id) {
        return client.preparedQuery("select key, value from experiment_tags where experiment_id = $1 order by key")
                .execute(Tuple.of(id))
                .map(rows -> Rows.map(rows, row -> new ExperimentTag(row.getString(0), row.getString(1))));
    }

    public Uni<Map<Long, List<ExperimentTag>>> tagsOf(SqlClient client, Long[] ids) {
        return client.preparedQuery("select experiment_id, key, value from experiment_tags "
                        + "where experiment_id = any($1) order by experiment_id, key")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    Map<Long, List<ExperimentTag>> byId = new HashMap<>();
                    for (Row row : rows) {
                        byId.computeIfAbsent(row.getLong(0), id -> new ArrayList<>())
                                .add(new ExperimentTag(row.getString(1), row.getString(2)));
                    }
                    return byId;
                });
    }

    /** Distinct datasets the experiments' runs used, with their context tag (MLflow caps the list at 1000). */
    public Uni<List<DatasetSummary>> datasetSummaries(SqlClient client, Long[] ids) {
        return client.preparedQuery("select distinct d.experiment_id, d.name, d.digest, t.value from datasets d "
                        + "join run_inputs i on i.dataset_uuid = d.dataset_uuid "
                        + "left join run_input_tags t on t.run_uuid = i.run_uuid and t.dataset_uuid = i.dataset_uuid "
                        + "and t.key = 'mlflow.data.context' "
                        + "where d.experiment_id = any($1) order by d.experiment_id, d.name, d.digest, t.value limit 1000")
                .execute(Tuple.of((Object) ids))
                .map(rows -> Rows.map(rows, row -> new DatasetSummary(String.valueOf(row.getLong(0)), row.getString(1),
                        row.getString(2), row.getString(3))));
    }

    /** Runs a search built by {@link ExperimentSearchSql}: parameterised, never concatenated user input. */
    public Uni<List<ExperimentRow>> search(SqlClient client, ExperimentSearchSql.Query query) {
        return client.preparedQuery("select " + COLUMNS + " from experiments e " + query.sql())
                .execute(Tuple.from(query.args()))
                .map(rows -> Rows.map(rows, ExperimentRepository::toRow));
    }

    private static ExperimentRow toRow(Row row) {
        return new ExperimentRow(row.getLong(0), row.getString(1), row.getString(2),
                LifecycleStage.valueOf(row.getString(3)), row.getLong(4), row.getLong(5));
    }
}
