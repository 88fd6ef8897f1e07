package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.ArtifactLocations;
import io.quarkflow.tracking.domain.LoggedModelTag;
import io.quarkflow.tracking.domain.MaxResults;
import io.quarkflow.tracking.domain.ModelSource;
import io.quarkflow.tracking.domain.ModelVersion;
import io.quarkflow.tracking.domain.ModelVersionTag;
import io.quarkflow.tracking.domain.NotFound;
import io.quarkflow.tracking.domain.RegistryRules;
import io.quarkflow.tracking.events.RegistryEventOutbox;
import io.quarkflow.tracking.store.CancellableReads;
import io.quarkflow.tracking.store.KeysetRow;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.quarkflow.tracking.store.ModelVersionRepository;
import io.quarkflow.tracking.store.ModelVersionRepository.NewVersion;
import io.quarkflow.tracking.store.ModelVersionRepository.VersionRow;
import io.quarkflow.tracking.store.RegisteredModelRepository;
import io.quarkflow.tracking.store.RunRepository;
import io.quarkflow.tracking.store.RegistrySearchSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Model versions: create, read, describe, move between stages, delete, search, their tags and where their files
 * are, with MLflow's semantics (mlflow/server/handlers.py, mlflow/store/model_registry/sqlalchemy_store.py).
 */
@ApplicationScoped
public class ModelVersionService {

    /** model-versions/search: the default of MLflow's request message, which is also the most it takes. */
    static final int SEARCH_MAX = 200_000;

    private final Pool pool;
    private final ModelVersionRepository versions;
    private final RegisteredModelRepository models;
    private final LoggedModelRepository loggedModels;
    private final LoggedModelGuard loggedModelGuard;
    private final RunRepository runs;
    private final RegistryGuard guard;
    private final RegistryReader reader;
    private final CancellableReads reads;
    private final ArtifactLocations artifactLocations;
    private final RegistryEventOutbox events;

    public ModelVersionService(Pool pool, ModelVersionRepository versions, RegisteredModelRepository models,
                               LoggedModelRepository loggedModels, LoggedModelGuard loggedModelGuard, RunRepository runs,
                               RegistryGuard guard, RegistryReader reader, CancellableReads reads,
                               ArtifactLocations artifactLocations, RegistryEventOutbox events) {
        this.pool = pool;
        this.versions = versions;
        this.models = models;
        this.loggedModels = loggedModels;
        this.loggedModelGuard = loggedModelGuard;
        this.runs = runs;
        this.guard = guard;
        this.reader = reader;
        this.reads = reads;
        this.artifactLocations = artifactLocations;
        this.events = events;
    }

    /** Where a source's files are, and the run it came from. */
    private record Resolved(String storageLocation, String runId) {
    }

    /**
     * A new version, numbered one above the highest the model ever had. With a model_id (MLflow 3) the logged model
     * must exist; it gives the run when the request gives none, and its mlflow.modelVersions tag lists the version.
     */
    public Uni<ModelVersion> create(String name, String source, String runId, List<ModelVersionTag> tags,
                                    String runLink, String description, String modelId) {
        RegistryRules.name(name, "name");
        ModelSource parsed = ModelSource.parse(source, modelId, tags, artifactLocations);
        List<ModelVersionTag> validTags = RegistryRules.tags(tags, ModelVersionTag::new, ModelVersionTag::key,
                ModelVersionTag::value);
        boolean byModel = modelId != null && !modelId.isEmpty();
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> resolve(conn, parsed, orEmpty(runId))
                .invoke(resolved -> parsed.requireServed(resolved.storageLocation(), artifactLocations))
                .chain(resolved -> byModel && resolved.runId().isEmpty()
                        ? loggedModelGuard.existing(conn, modelId)
                                .map(row -> new Resolved(resolved.storageLocation(), row.info().sourceRunId()))
                        : Uni.createFrom().item(resolved))
                .chain(resolved -> guard.lockedModel(conn, name)
                        .chain(model -> versions.nextVersion(conn, model.id(), now)
                                .call(number -> versions.insert(conn, model.id(), number, new NewVersion(source,
                                        resolved.storageLocation(), resolved.runId(), orEmpty(runLink),
                                        orEmpty(description), byModel ? modelId : null), now))
                                .call(number -> versions.upsertTags(conn, model.id(), number, validTags))
                                .call(number -> byModel ? listOnLoggedModel(conn, modelId, name, number)
                                        : Uni.createFrom().voidItem())
                                .call(number -> events.versionCreated(conn, model.name(), number, source,
                                        resolved.storageLocation(), resolved.runId(), byModel ? modelId : null, now))
                                .map(number -> new ModelVersion(name, String.valueOf(number), now, now, null, "None",
                                        orEmpty(description), source, resolved.runId(), "READY", null, validTags,
                                        orEmpty(runLink), List.of())))));
    }

    public Uni<ModelVersion> get(String name, String version) {
        return guard.version(pool, name, version).chain(row -> reader.version(pool, row));
    }

    /** Sets the description; none given clears it, as MLflow's store does. */
    public Uni<ModelVersion> update(String name, String version, String description) {
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.version(conn, name, version)
                .call(row -> versions.setDescription(conn, row.modelId(), row.number(), description, now))
                .chain(row -> guard.version(conn, name, version))
                .chain(row -> reader.version(conn, row)));
    }

    /**
     * Moves the version to the stage; with archive_existing_versions, the model's other versions in that stage
     * (Staging or Production only) move to Archived in the same transaction.
     */
    public Uni<ModelVersion> transition(String name, String version, String stage, Boolean archiveExisting) {
        RegistryRules.name(name, "name");
        RegistryRules.version(version);
        if (stage == null || stage.isEmpty()) {
            throw MlflowException.missing("stage");
        }
        String canonical = RegistryRules.stage(stage);
        boolean archive = Boolean.TRUE.equals(archiveExisting);
        if (archive && !RegistryRules.ACTIVE_STAGES.contains(canonical)) {
            throw MlflowException.invalidParameter("Model version transition cannot archive existing model versions "
                    + "because '" + stage + "' is not an Active stage. Valid stages are ['Staging', 'Production']");
        }
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .onFailure(MlflowException.class).transform(e -> RegistryRules.versionNotFound(name, version))
                .chain(model -> guard.version(conn, model, version)
                        .call(row -> (archive ? versions.archiveOthers(conn, model.id(), row.number(), canonical, now)
                                : Uni.createFrom().item(List.<Integer>of()))
                                .call(() -> versions.setStage(conn, model.id(), row.number(), canonical, now))
                                .call(archived -> events.stageTransitioned(conn, model.name(), row.number(),
                                        row.version().currentStage(), canonical, archived, now)))
                        .call(() -> models.touch(conn, model.id(), now)))
                .chain(() -> guard.version(conn, name, version))
                .chain(row -> reader.version(conn, row)));
    }

    /** Deletes the version with its tags and the aliases that point to it; its number is never given again. */
    public Uni<Void> delete(String name, String version) {
        RegistryRules.name(name, "name");
        RegistryRules.version(version);
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> guard.lockedModel(conn, name)
                .onFailure(MlflowException.class).transform(e -> RegistryRules.versionNotFound(name, version))
                .chain(model -> guard.version(conn, model, version)
                        .call(row -> versions.aliasesOf(conn, model.id(), row.number())
                                .call(() -> versions.delete(conn, model.id(), row.number()))
                                .call(aliases -> events.versionDeleted(conn, model.name(), row.number(), aliases, now)))
                        .call(() -> models.touch(conn, model.id(), now)))
                .replaceWithVoid());
    }

    public Uni<Page<ModelVersion>> search(String filter, Long maxResults, List<String> orderBy, String pageToken) {
        int max = MaxResults.forRegistrySearch(maxResults, SEARCH_MAX, SEARCH_MAX);
        RegistrySearchSql.Ordering ordering = RegistrySearchSql.versionOrdering(orderBy);
        KeysetPaging paging = KeysetPaging.of(ordering.keys(), max, "model-versions", filter, orderBy);
        RegistrySearchSql.Query query = RegistrySearchSql.versions(filter, ordering, paging.after(pageToken),
                paging.rowsToFetch());
        return reads.run(conn -> versions.search(conn, query)
                .chain(rows -> reader.withTags(conn, paging.page(rows).stream().map(KeysetRow::item).toList())
                        .map(page -> new Page<>(page, paging.nextToken(rows, KeysetRow::sortKeys)))));
    }

    public Uni<Void> setTag(String name, String version, String key, String value) {
        RegistryRules.name(name, "name");
        RegistryRules.version(version);
        ModelVersionTag tag = new ModelVersionTag(RegistryRules.tagKey(key), RegistryRules.tagValue(value));
        return pool.withTransaction(conn -> guard.version(conn, name, version)
                .chain(row -> versions.upsertTags(conn, row.modelId(), row.number(), List.of(tag))));
    }

    /** Deleting a tag the version does not have changes nothing, as in MLflow. */
    public Uni<Void> deleteTag(String name, String version, String key) {
        RegistryRules.name(name, "name");
        RegistryRules.version(version);
        RegistryRules.tagKey(key);
        return pool.withTransaction(conn -> guard.version(conn, name, version)
                .chain(row -> versions.deleteTag(conn, row.modelId(), row.number(), key)));
    }

    /** Where the version's files are: what its source resolved to when it was created. */
    public Uni<String> downloadUri(String name, String version) {
        return guard.version(pool, name, version).map(VersionRow::storageLocation);
    }

    private Uni<Resolved> resolve(SqlClient conn, ModelSource source, String runId) {
        return switch (source.kind()) {
            case LOGGED_MODEL -> loggedModels.find(conn, source.id())
                    .onItem().ifNull().failWith(() -> ModelSource.unfetchable(source.source(),
                            NotFound.loggedModel(source.id()).getMessage()))
                    .map(row -> new Resolved(row.info().artifactUri(),
                            runId.isEmpty() ? row.info().sourceRunId() : runId));
            case MODEL_VERSION -> guard.version(conn, source.id(), source.versionOrPath())
                    .onFailure(MlflowException.class)
                    .transform(e -> ModelSource.unfetchable(source.source(), e.getMessage()))
                    .map(row -> new Resolved(row.storageLocation(), runId));
            // A run we do not know is kept as its URI, as MLflow keeps every runs:/ source; the client resolves it.
            case RUN -> runs.findInfo(conn, source.id())
                    .map(run -> new Resolved(run == null ? source.source() : source.versionOrPath().isEmpty()
                            ? run.artifactUri() : run.artifactUri().replaceAll("/+$", "") + "/" + source.versionOrPath(),
                            runId));
            case URI, PROMPT -> Uni.createFrom().item(new Resolved(source.source(), runId));
        };
    }

    /** Adds the version to the logged model's mlflow.modelVersions tag, the model locked against a lost update. */
    private Uni<Void> listOnLoggedModel(SqlClient conn, String modelId, String name, int version) {
        return loggedModelGuard.locked(conn, modelId)
                .chain(() -> loggedModels.tagsOf(conn, new String[] {modelId}))
                .map(tags -> tags.getOrDefault(modelId, List.of()).stream()
                        .filter(tag -> tag.key().equals(RegistryRules.MODEL_VERSIONS_TAG))
                        .map(LoggedModelTag::value).findFirst().orElse(null))
                .chain(existing -> loggedModels.upsertTags(conn, modelId, List.of(new LoggedModelTag(
                        RegistryRules.MODEL_VERSIONS_TAG, RegistryRules.withModelVersion(existing, name, version)))));
    }


    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
