package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.RegistryRules;
import io.quarkflow.tracking.store.ModelVersionRepository;
import io.quarkflow.tracking.store.ModelVersionRepository.VersionRow;
import io.quarkflow.tracking.store.RegisteredModelRepository;
import io.quarkflow.tracking.store.RegisteredModelRepository.ModelRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/** Finds the registered models and versions a request names, or fails with MLflow's "not found". */
@ApplicationScoped
public class RegistryGuard {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;

    public RegistryGuard(RegisteredModelRepository models, ModelVersionRepository versions) {
        this.models = models;
        this.versions = versions;
    }

    public Uni<ModelRow> model(SqlClient client, String name) {
        RegistryRules.name(name, "name");
        return models.find(client, name).onItem().ifNull().failWith(() -> RegistryRules.modelNotFound(name));
    }

    /**
     * As {@link #model}, the row locked until the transaction ends. Every change to a model's versions or aliases
     * takes this lock first, so they apply one after another and a version cannot go while an alias is set to it.
     */
    public Uni<ModelRow> lockedModel(SqlClient client, String name) {
        RegistryRules.name(name, "name");
        return models.findForUpdate(client, name).onItem().ifNull().failWith(() -> RegistryRules.modelNotFound(name));
    }

    /** The version of a model found before. */
    public Uni<VersionRow> version(SqlClient client, ModelRow model, String version) {
        long number = RegistryRules.version(version);
        return versions.find(client, model.id(), number)
                .onItem().ifNull().failWith(() -> RegistryRules.versionNotFound(model.name(), version));
    }

    /** The version, its model looked up first (MLflow's message names the model as the request did). */
    public Uni<VersionRow> version(SqlClient client, String name, String version) {
        RegistryRules.name(name, "name");
        long number = RegistryRules.version(version);
        return models.find(client, name)
                .chain(model -> model == null ? Uni.createFrom().nullItem() : versions.find(client, model.id(), number))
                .onItem().ifNull().failWith(() -> RegistryRules.versionNotFound(name, version));
    }
}
