package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.NotFound;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.quarkflow.tracking.store.LoggedModelRepository.ModelRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a request checks of the logged models it names. As in MLflow's store, reading a model (get, search) does
 * not see deleted ones, while finalize, delete, params, tags and metrics still find them.
 */
@ApplicationScoped
public class LoggedModelGuard {

    private final LoggedModelRepository models;

    public LoggedModelGuard(LoggedModelRepository models) {
        this.models = models;
    }

    /** The model in any lifecycle stage, or MLflow's "not found". */
    public Uni<ModelRow> existing(SqlClient client, String modelId) {
        return models.find(client, modelId).onItem().ifNull().failWith(() -> NotFound.loggedModel(modelId));
    }

    /** As {@link #existing}, with the row locked until the transaction ends: for changes that publish events. */
    public Uni<ModelRow> locked(SqlClient client, String modelId) {
        return models.findForUpdate(client, modelId).onItem().ifNull().failWith(() -> NotFound.loggedModel(modelId));
    }

    /** The model unless it does not exist or is deleted. */
    public Uni<ModelRow> visible(SqlClient client, String modelId) {
        return existing(client, modelId).invoke(row -> {
            if (row.lifecycleStage() == LifecycleStage.deleted) {
                throw NotFound.loggedModel(modelId);
            }
        });
    }

    /** Fails with MLflow's "not found" for the first id that names no model. */
    public Uni<Void> allExisting(SqlClient client, String[] modelIds) {
        return models.existing(client, modelIds)
                .invoke(found -> {
                    for (String modelId : modelIds) {
                        if (!found.contains(modelId)) {
                            throw NotFound.loggedModel(modelId);
                        }
                    }
                })
                .replaceWithVoid();
    }
}
