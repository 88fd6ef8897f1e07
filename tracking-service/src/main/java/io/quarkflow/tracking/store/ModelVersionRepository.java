package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.ModelVersion;
import io.quarkflow.tracking.domain.ModelVersionTag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL for model versions and their tags (migration V9). A version is keyed by its model's id and its number. */
@ApplicationScoped
public class ModelVersionRepository {

    /** The columns {@link #toRow} reads, versions aliased "mv" and their models "rm". */
    static final String COLUMNS = "mv.model_id, mv.version, mv.creation_timestamp, mv.last_updated_timestamp, "
            + "mv.description, mv.user_id, mv.current_stage, mv.source, mv.run_id, mv.status, mv.status_message, "
            + "mv.run_link, mv.storage_location, mv.logged_model_id, rm.name";
    static final int COLUMN_COUNT = 15;
    private static final String FROM = " from model_versions mv join registered_models rm on rm.id = mv.model_id ";

    /** A version without tags and aliases, with what the wire does not show: its model's id and its files. */
    public record VersionRow(long modelId, ModelVersion version, String storageLocation, String loggedModelId) {

        public int number() {
            return Integer.parseInt(version.version());
        }

        /** How {@link #tagsOf} keys a version's tags. */
        public String key() {
            return modelId + "/" + version.version();
        }
    }

    /** What model-versions/create stores. */
    public record NewVersion(String source, String storageLocation, String runId, String runLink, String description,
                             String loggedModelId) {
    }

    /**
     * The next version number of the model, never given before. The update locks the model's row until the
     * transaction ends, so concurrent creates of one model take their numbers one after another.
     */
    public Uni<Integer> nextVersion(SqlClient client, long modelId, long now) {
        return client.preparedQuery("update registered_models set last_version = last_version + 1, "
                        + "last_updated_timestamp = $2 where id = $1 returning last_version")
                .execute(Tuple.of(modelId, now))
                .map(rows -> Rows.first(rows, row -> row.getInteger(0)));
    }

    public Uni<Void> insert(SqlClient client, long modelId, int version, NewVersion created, long now) {
        return client.preparedQuery("insert into model_versions (model_id, version, creation_timestamp, "
                        + "last_updated_timestamp, description, source, storage_location, run_id, run_link, "
                        + "logged_model_id) values ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] {modelId, version, now, created.description(), created.source(),
                    created.storageLocation(), created.runId(), created.runLink(), created.loggedModelId()}))
                .replaceWithVoid();
    }

    /** The version, or null. */
    public Uni<VersionRow> find(SqlClient client, long modelId, long version) {
        return client.preparedQuery("select " + COLUMNS + FROM + "where mv.model_id = $1 and mv.version = $2")
                .execute(Tuple.of(modelId, version))
                .map(rows -> Rows.first(rows, ModelVersionRepository::toRow));
    }

    public Uni<Void> setDescription(SqlClient client, long modelId, int version, String description, long now) {
        return client.preparedQuery("update model_versions set description = $3, last_updated_timestamp = $4 "
                        + "where model_id = $1 and version = $2")
                .execute(Tuple.of(modelId, version, description, now))
                .replaceWithVoid();
    }

    public Uni<Void> setStage(SqlClient client, long modelId, int version, String stage, long now) {
        return client.preparedQuery("update model_versions set current_stage = $3, last_updated_timestamp = $4 "
                        + "where model_id = $1 and version = $2")
                .execute(Tuple.of(modelId, version, stage, now))
                .replaceWithVoid();
    }

    /** Moves the model's other versions in the stage to Archived (archive_existing_versions); returns their numbers. */
    public Uni<List<Integer>> archiveOthers(SqlClient client, long modelId, int version, String stage, long now) {
        return client.preparedQuery("update model_versions set current_stage = 'Archived', last_updated_timestamp = $4 "
                        + "where model_id = $1 and version <> $2 and current_stage = $3 returning version")
                .execute(Tuple.of(modelId, version, stage, now))
                .map(rows -> Rows.map(rows, row -> row.getInteger(0)));
    }

    /** Deletes the version; its tags and the aliases pointing to it go with it (on delete cascade). */
    public Uni<Void> delete(SqlClient client, long modelId, int version) {
        return client.preparedQuery("delete from model_versions where model_id = $1 and version = $2")
                .execute(Tuple.of(modelId, version))
                .replaceWithVoid();
    }

    /** @param tags at most one per key, sorted by key */
    public Uni<Void> upsertTags(SqlClient client, long modelId, int version, List<ModelVersionTag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into model_version_tags (model_id, version, key, value) "
                        + "select $1, $2, k, v from unnest($3::text[], $4::text[]) as t(k, v) "
                        + "on conflict (model_id, version, key) do update set value = excluded.value")
                .execute(Tuple.of(modelId, version, tags.stream().map(ModelVersionTag::key).toArray(String[]::new),
                        tags.stream().map(ModelVersionTag::value).toArray(String[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> deleteTag(SqlClient client, long modelId, int version, String key) {
        return client.preparedQuery("delete from model_version_tags where model_id = $1 and version = $2 and key = $3")
                .execute(Tuple.of(modelId, version, key))
                .replaceWithVoid();
    }

    /** The tags of the versions, by "modelId/version". */
    public Uni<Map<String, List<ModelVersionTag>>> tagsOf(SqlClient client, List<VersionRow> versions) {
        if (versions.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Long[] models = versions.stream().map(VersionRow::modelId).toArray(Long[]::new);
        Integer[] numbers = versions.stream().map(VersionRow::number).toArray(Integer[]::new);
        return client.preparedQuery("select t.key, t.value, t.model_id || '/' || t.version from model_version_tags t "
                        + "join unnest($1::int8[], $2::int[]) as v(m, n) on t.model_id = v.m and t.version = v.n "
                        + "order by t.model_id, t.version, t.key")
                .execute(Tuple.of(models, numbers))
                .map(rows -> {
                    Map<String, List<ModelVersionTag>> byVersion = new HashMap<>();
                    for (Row row : rows) {
                        byVersion.computeIfAbsent(row.getString(2), key -> new ArrayList<>())
                                .add(new ModelVersionTag(row.getString(0), row.getString(1)));
                    }
                    return byVersion;
                });
    }

    /** The aliases of one version, by name. */
    public Uni<List<String>> aliasesOf(SqlClient client, long modelId, int version) {
        return client.preparedQuery("select alias from registered_model_aliases where model_id = $1 and version = $2 "
                        + "order by alias")
                .execute(Tuple.of(modelId, version))
                .map(rows -> Rows.map(rows, row -> row.getString(0)));
    }

    /**
     * The highest version of each stage of each model, in the order MLflow lists them: a stage's place is that of
     * the first version that had it (MLflow builds them as a dict over the versions in number order).
     *
     * @param stages the stages wanted
     */
    public Uni<List<VersionRow>> latestVersions(SqlClient client, Long[] modelIds, String[] stages) {
        return client.preparedQuery("select " + COLUMNS + " from (select v.*, row_number() over (partition by "
                        + "v.model_id, v.current_stage order by v.version desc) as rank, min(v.version) over (partition "
                        + "by v.model_id, v.current_stage) as first from model_versions v where v.model_id = any($1)) mv "
                        + "join registered_models rm on rm.id = mv.model_id where mv.rank = 1 "
                        + "and mv.current_stage = any($2) order by mv.model_id, mv.first")
                .execute(Tuple.of(modelIds, stages))
                .map(rows -> Rows.map(rows, ModelVersionRepository::toRow));
    }

    /** A model-versions/search page built by {@link RegistrySearchSql}, each row followed by its sort keys. */
    public Uni<List<KeysetRow<VersionRow>>> search(SqlClient client, RegistrySearchSql.Query query) {
        return client.preparedQuery(query.sql())
                .execute(Tuple.from(query.args()))
                .map(rows -> Rows.map(rows, row -> new KeysetRow<>(toRow(row),
                        KeysetRow.keys(row, COLUMN_COUNT, query.keyCount()))));
    }

    private static VersionRow toRow(Row row) {
        ModelVersion version = new ModelVersion(row.getString(14), String.valueOf(row.getInteger(1)), row.getLong(2),
                row.getLong(3), row.getString(5), row.getString(6), row.getString(4), row.getString(7),
                row.getString(8), row.getString(9), row.getString(10), List.of(), row.getString(11), List.of());
        return new VersionRow(row.getLong(0), version, row.getString(12), row.getString(13));
    }
}
