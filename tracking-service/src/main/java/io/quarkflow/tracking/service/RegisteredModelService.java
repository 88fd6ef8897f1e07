package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.MaxResults;
import io.quarkflow.tracking.domain.ModelVersion;
import io.quarkflow.tracking.domain.RegisteredModel;
import io.quarkflow.tracking.domain.RegisteredModelTag;
import io.quarkflow.tracking.domain.RegistryRules;
import io.quarkflow.tracking.events.RegistryEventOutbox;
import io.quarkflow.tracking.store.CancellableReads;
import io.quarkflow.tracking.store.KeysetRow;
import io.quarkflow.tracking.store.ModelVersionRepository;
import io.quarkflow.tracking.store.RegisteredModelRepository;
import io.quarkflow.tracking.store.RegisteredModelRepository.ModelRow;
import io.quarkflow.tracking.store.RegistrySearchSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Registered models: create, read, rename, describe, delete, search, and their tags, aliases and latest versions,
 * with MLflow's semantics (mlflow/store/model_registry/sqlalchemy_store.py).
 */
@ApplicationScoped
public class RegisteredModelService {

    /** registered-models/search: MLflow's default page and the most its request schema takes. */
    static final int SEARCH_DEFAULT = 100;
    static final int SEARCH_MAX = 1000;

    private final Pool pool;
    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final RegistryGuard guard;
    private final RegistryReader reader;
    private final CancellableReads reads;
    private final RegistryEventOutbox events;

    public RegisteredModelService(Pool pool, RegisteredModelRepository models, ModelVersionRepository versions,
                                  RegistryGuard guard, RegistryReader reader, CancellableReads reads,
                                  RegistryEventOutbox events) {
        this.pool = pool;
        this.models = models;
        this.versions = versions;
        this.guard = guard;
        this.reader = reader;
        this.reads = reads;
        this.events = events;
    }

    public Uni<RegisteredModel> create(String name, List<RegisteredModelTag> tags, String description) {
        RegistryRules.name(name, "name");
        List<RegisteredModelTag> validTags = RegistryRules.tags(tags, RegisteredModelTag::new, RegisteredModelTag::key,
                RegisteredModelTag::value);
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> models.insert(conn, name, emptyToNull(description), now)
                .onItem().ifNull().failWith(() -> MlflowException.alreadyExists("Registered Model (name=" + name
                        + ") already exists."))
                .call(id -> models.upsertTags(conn, id, validTags))
                .call(() -> events.modelCreated(conn, name, description, now))
                .map(id -> new RegisteredModel(name, now, now, emptyToNull(description), List.of(), validTags,
                        List.of())));
    }

    public Uni<RegisteredModel> get(String name) {
        return guard.model(pool, name).chain(row -> reader.model(pool, row));
    }

    public Uni<RegisteredModel> rename(String name, String newName) {
        RegistryRules.name(name, "name");
        RegistryRules.name(newName, "new_name");
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .call(row -> models.rename(conn, row.id(), newName, now).invoke(renamed -> {
                    if (!renamed) {
                        throw MlflowException.alreadyExists("Registered Model (name=" + newName + ") already exists.");
                    }
                }))
                .call(row -> events.modelRenamed(conn, row.name(), newName, now))
                .chain(row -> reader.model(conn, new ModelRow(row.id(), newName, row.creationTimestamp(), now,
                        row.description()))));
    }

    /** Sets the description; none given clears it, as MLflow's store does. */
    public Uni<RegisteredModel> update(String name, String description) {
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .call(row -> models.setDescription(conn, row.id(), emptyToNull(description), now))
                .chain(row -> reader.model(conn, new ModelRow(row.id(), row.name(), row.creationTimestamp(), now,
                        emptyToNull(description)))));
    }

    /** Deletes the model with its versions, tags and aliases. */
    public Uni<Void> delete(String name) {
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .call(row -> models.delete(conn, row.id()))
                .chain(row -> events.modelDeleted(conn, row.name(), System.currentTimeMillis())));
    }

    public Uni<Page<RegisteredModel>> search(String filter, Long maxResults, List<String> orderBy, String pageToken) {
        int max = MaxResults.forRegistrySearch(maxResults, SEARCH_DEFAULT, SEARCH_MAX);
        RegistrySearchSql.Ordering ordering = RegistrySearchSql.modelOrdering(orderBy);
        KeysetPaging paging = KeysetPaging.of(ordering.keys(), max, "registered-models", filter, orderBy);
        RegistrySearchSql.Query query = RegistrySearchSql.models(filter, ordering, paging.after(pageToken),
                paging.rowsToFetch());
        return reads.run(conn -> models.search(conn, query)
                .chain(rows -> reader.models(conn, paging.page(rows).stream().map(KeysetRow::item).toList())
                        .map(page -> new Page<>(page, paging.nextToken(rows, KeysetRow::sortKeys)))));
    }

    public Uni<Void> setTag(String name, String key, String value) {
        RegistryRules.name(name, "name");
        RegisteredModelTag tag = new RegisteredModelTag(RegistryRules.tagKey(key), RegistryRules.tagValue(value));
        return pool.withTransaction(conn -> guard.model(conn, name)
                .chain(row -> models.upsertTags(conn, row.id(), List.of(tag))));
    }

    /** Deleting a tag the model does not have changes nothing, as in MLflow. */
    public Uni<Void> deleteTag(String name, String key) {
        RegistryRules.name(name, "name");
        RegistryRules.tagKey(key);
        return pool.withTransaction(conn -> guard.model(conn, name)
                .chain(row -> models.deleteTag(conn, row.id(), key)));
    }

    /** Points the alias at the version, moving it from any other version of the model. */
    public Uni<Void> setAlias(String name, String alias, String version) {
        RegistryRules.name(name, "name");
        RegistryRules.newAlias(alias);
        RegistryRules.version(version);
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .chain(row -> guard.version(conn, row, version)
                        .chain(found -> models.aliasedVersion(conn, row.id(), alias)
                                .call(() -> models.setAlias(conn, row.id(), alias, found.number()))
                                .chain(previous -> events.aliasSet(conn, row.name(), alias, found.number(),
                                        previous)))));
    }

    public Uni<Void> deleteAlias(String name, String alias) {
        RegistryRules.name(name, "name");
        RegistryRules.alias(alias);
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .chain(row -> models.aliasedVersion(conn, row.id(), alias)
                        .call(() -> models.deleteAlias(conn, row.id(), alias))
                        .chain(version -> events.aliasDeleted(conn, row.name(), alias, version))));
    }

    /** The version an alias points to; "latest" is the highest version of any stage, as MLflow reads it. */
    public Uni<ModelVersion> versionByAlias(String name, String alias) {
        RegistryRules.name(name, "name");
        RegistryRules.alias(alias);
        if (RegistryRules.isLatest(alias)) {
            return latestVersions(name, List.of()).map(latest -> {
                if (latest.isEmpty()) {
                    throw MlflowException.notFound("Latest version not found for model " + name + ".");
                }
                return latest.get(0);
            });
        }
        return guard.model(pool, name)
                .chain(row -> models.aliasedVersion(pool, row.id(), alias)
                        .onItem().ifNull().failWith(() -> MlflowException.invalidParameter("Registered model alias "
                                + alias + " not found."))
                        .chain(number -> guard.version(pool, row, String.valueOf(number))))
                .chain(found -> reader.version(pool, found));
    }

    /** The highest version of each of the stages (all when none are given), with their aliases. */
    public Uni<List<ModelVersion>> latestVersions(String name, List<String> stages) {
        List<String> wanted = RegistryRules.stages(stages);
        return guard.model(pool, name)
                .chain(row -> versions.latestVersions(pool, new Long[] {row.id()}, wanted.toArray(String[]::new)))
                .chain(rows -> reader.versionsWithAliases(pool, rows));
    }


    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
