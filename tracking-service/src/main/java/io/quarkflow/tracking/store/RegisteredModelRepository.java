package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.RegisteredModelAlias;
import io.quarkflow.tracking.domain.RegisteredModelTag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for registered models, their tags and aliases (migration V9). A model is found by its name through the MD5
 * index, the name itself rechecked; everything else refers to it by its id.
 */
@ApplicationScoped
public class RegisteredModelRepository {

    static final String COLUMNS = "rm.id, rm.name, rm.creation_timestamp, rm.last_updated_timestamp, rm.description";
    private static final String BY_NAME = "md5(rm.name) = md5($1) and rm.name = $1";
    private static final String UNIQUE_VIOLATION = "23505";

    /** A registered model without its versions, tags and aliases; the id never leaves the service. */
    public record ModelRow(long id, String name, long creationTimestamp, long lastUpdatedTimestamp, String description) {
    }

    /** @return the new model's id, or null when the name is taken */
    public Uni<Long> insert(SqlClient client, String name, String description, long now) {
        return client.preparedQuery("insert into registered_models (name, creation_timestamp, last_updated_timestamp, "
                        + "description) values ($1, $2, $2, $3) on conflict do nothing returning id")
                .execute(Tuple.of(name, now, description))
                .map(rows -> Rows.first(rows, row -> row.getLong(0)));
    }

    /** The model of this name, or null. */
    public Uni<ModelRow> find(SqlClient client, String name) {
        return client.preparedQuery("select " + COLUMNS + " from registered_models rm where " + BY_NAME)
                .execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, RegisteredModelRepository::toRow));
    }

    /** As {@link #find}, locking the row until the transaction ends: versions are numbered and deleted under it. */
    public Uni<ModelRow> findForUpdate(SqlClient client, String name) {
        return client.preparedQuery("select " + COLUMNS + " from registered_models rm where " + BY_NAME + " for update")
                .execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, RegisteredModelRepository::toRow));
    }

    /** @return false when another model has the new name already */
    public Uni<Boolean> rename(SqlClient client, long id, String newName, long now) {
        return client.preparedQuery("update registered_models set name = $2, last_updated_timestamp = $3 where id = $1")
                .execute(Tuple.of(id, newName, now))
                .map(rows -> true)
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .recoverWithItem(false);
    }

    public Uni<Void> setDescription(SqlClient client, long id, String description, long now) {
        return client.preparedQuery("update registered_models set description = $2, last_updated_timestamp = $3 "
                        + "where id = $1")
                .execute(Tuple.of(id, description, now))
                .replaceWithVoid();
    }

    /** Marks the model changed, as MLflow does when one of its versions is created, moved or deleted. */
    public Uni<Void> touch(SqlClient client, long id, long now) {
        return client.preparedQuery("update registered_models set last_updated_timestamp = $2 where id = $1")
                .execute(Tuple.of(id, now))
                .replaceWithVoid();
    }

    /** Deletes the model; its versions, tags and aliases go with it (on delete cascade). */
    public Uni<Void> delete(SqlClient client, long id) {
        return client.preparedQuery("delete from registered_models where id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** @param tags at most one per key, sorted by key, so that concurrent writers lock rows in the same order */
    public Uni<Void> upsertTags(SqlClient client, long id, List<RegisteredModelTag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into registered_model_tags (model_id, key, value) "
                        + "select $1, k, v from unnest($2::text[], $3::text[]) as t(k, v) "
                        + "on conflict (model_id, key) do update set value = excluded.value")
                .execute(Tuple.of(id, tags.stream().map(RegisteredModelTag::key).toArray(String[]::new),
                        tags.stream().map(RegisteredModelTag::value).toArray(String[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> deleteTag(SqlClient client, long id, String key) {
        return client.preparedQuery("delete from registered_model_tags where model_id = $1 and key = $2")
                .execute(Tuple.of(id, key))
                .replaceWithVoid();
    }

    public Uni<Map<Long, List<RegisteredModelTag>>> tagsOf(SqlClient client, Long[] ids) {
        return client.preparedQuery("select key, value, model_id from registered_model_tags where model_id = any($1) "
                        + "order by model_id, key")
                .execute(Tuple.of((Object) ids))
                .map(rows -> group(rows, row -> new RegisteredModelTag(row.getString(0), row.getString(1))));
    }

    /** Points the alias at the version, wherever it pointed before. */
    public Uni<Void> setAlias(SqlClient client, long id, String alias, int version) {
        return client.preparedQuery("insert into registered_model_aliases (model_id, alias, version) values ($1, $2, $3) "
                        + "on conflict (model_id, alias) do update set version = excluded.version")
                .execute(Tuple.of(id, alias, version))
                .replaceWithVoid();
    }

    public Uni<Void> deleteAlias(SqlClient client, long id, String alias) {
        return client.preparedQuery("delete from registered_model_aliases where model_id = $1 and alias = $2")
                .execute(Tuple.of(id, alias))
                .replaceWithVoid();
    }

    /** The version the alias points to, or null. */
    public Uni<Integer> aliasedVersion(SqlClient client, long id, String alias) {
        return client.preparedQuery("select version from registered_model_aliases where model_id = $1 and alias = $2")
                .execute(Tuple.of(id, alias))
                .map(rows -> Rows.first(rows, row -> row.getInteger(0)));
    }

    public Uni<Map<Long, List<RegisteredModelAlias>>> aliasesOf(SqlClient client, Long[] ids) {
        return client.preparedQuery("select alias, version, model_id from registered_model_aliases "
                        + "where model_id = any($1) order by model_id, alias")
                .execute(Tuple.of((Object) ids))
                .map(rows -> group(rows, row -> new RegisteredModelAlias(row.getString(0),
                        String.valueOf(row.getInteger(1)))));
    }

    /** A registered-models/search page built by {@link RegistrySearchSql}, each row followed by its sort keys. */
    public Uni<List<KeysetRow<ModelRow>>> search(SqlClient client, RegistrySearchSql.Query query) {
        return client.preparedQuery(query.sql())
                .execute(Tuple.from(query.args()))
                .map(rows -> Rows.map(rows, row -> new KeysetRow<>(toRow(row), KeysetRow.keys(row, 5, query.keyCount()))));
    }

    /** Groups rows by model; each query puts the model id in its last column. */
    static <T> Map<Long, List<T>> group(Iterable<Row> rows, java.util.function.Function<Row, T> mapper) {
        Map<Long, List<T>> byModel = new HashMap<>();
        for (Row row : rows) {
            byModel.computeIfAbsent(row.getLong(row.size() - 1), id -> new ArrayList<>()).add(mapper.apply(row));
        }
        return byModel;
    }

    private static ModelRow toRow(Row row) {
        return new ModelRow(row.getLong(0), row.getString(1), row.getLong(2), row.getLong(3), row.getString(4));
    }
}
