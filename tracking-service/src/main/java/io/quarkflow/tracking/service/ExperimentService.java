package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.config.TrackingConfig;
import io.quarkflow.tracking.domain.ArtifactLocations;
import io.quarkflow.tracking.domain.DatasetSummary;
import io.quarkflow.tracking.domain.Experiment;
import io.quarkflow.tracking.domain.ExperimentTag;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.MaxResults;
import io.quarkflow.tracking.domain.NotFound;
import io.quarkflow.tracking.domain.PageToken;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.domain.ViewType;
import io.quarkflow.tracking.events.RunEventOutbox;
import io.quarkflow.tracking.store.CancellableReads;
import io.quarkflow.tracking.store.ExperimentRepository.ExperimentRow;
import io.quarkflow.tracking.store.ExperimentRepository;
import io.quarkflow.tracking.store.ExperimentSearchSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ExperimentService {

    private final Pool pool;
    private final ExperimentRepository experiments;
    private final TrackingConfig config;
    private final RunEventOutbox runEvents;
    private final ArtifactLocations artifactLocations;
    private final CancellableReads reads;

    public ExperimentService(Pool pool, ExperimentRepository experiments, TrackingConfig config, RunEventOutbox runEvents,
                             ArtifactLocations artifactLocations, CancellableReads reads) {
        this.pool = pool;
        this.experiments = experiments;
        this.config = config;
        this.runEvents = runEvents;
        this.artifactLocations = artifactLocations;
        this.reads = reads;
    }

    public Uni<String> create(String name, String artifactLocation, List<ExperimentTag> tags) {
        TrackingRules.validateExperimentName(name, "name");
        boolean givenLocation = artifactLocation != null && !artifactLocation.isEmpty();
        if (givenLocation) {
            TrackingRules.validateArtifactLocation(artifactLocation);
            artifactLocations.requireAllowed(artifactLocation);
        }
        List<ExperimentTag> validTags = tags == null ? List.of() : tags.stream().map(TrackingRules::validateExperimentTag).toList();
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> experiments.nextId(conn)
                .chain(id -> experiments.insert(conn, id, name,
                                givenLocation ? artifactLocation : config.artifactLocationFor(String.valueOf(id)), now)
                        .invoke(inserted -> {
                            if (!inserted) {
                                throw MlflowException.alreadyExists("Experiment(name=" + name + ") already exists.");
                            }
                        })
                        .chain(() -> experiments.upsertTags(conn, id, validTags))
                        .replaceWith(String.valueOf(id))));
    }

    public Uni<Experiment> get(String experimentId) {
        long id = TrackingRules.experimentNumber(experimentId, "experiment_id");
        return experiments.findById(pool, id)
                .onItem().ifNull().failWith(() -> NotFound.experiment(experimentId))
                .chain(row -> withTags(pool, row));
    }

    public Uni<Experiment> getByName(String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.missing("experiment_name");
        }
        return experiments.findByName(pool, name)
                .onItem().ifNull().failWith(() -> MlflowException.notFound("Could not find experiment with name '" + name + "'"))
                .chain(row -> withTags(pool, row));
    }

    public Uni<Void> rename(String experimentId, String newName) {
        long id = TrackingRules.experimentNumber(experimentId, "experiment_id");
        TrackingRules.validateExperimentName(newName, "new_name");
        return pool.withTransaction(conn -> existing(conn, experimentId, id)
                .invoke(row -> {
                    if (row.lifecycleStage() != LifecycleStage.active) {
                        throw MlflowException.invalidState("Cannot rename a non-active experiment.");
                    }
                })
                .chain(() -> experiments.rename(conn, id, newName, System.currentTimeMillis()))
                .invoke(renamed -> {
                    if (!renamed) {
                        throw MlflowException.alreadyExists("Experiment(name=" + newName + ") already exists.");
                    }
                })
                .replaceWithVoid());
    }

    /** As in MLflow, only an active experiment can be deleted and only a deleted one restored; others are "not found". */
    public Uni<Void> setLifecycleStage(String experimentId, LifecycleStage stage) {
        long id = TrackingRules.experimentNumber(experimentId, "experiment_id");
        long now = System.currentTimeMillis();
        return pool.withTransaction(conn -> existing(conn, experimentId, id)
                .invoke(row -> {
                    if (row.lifecycleStage() == stage) {
                        throw NotFound.experiment(experimentId);
                    }
                })
                .chain(() -> experiments.setLifecycleStage(conn, id, stage, now))
                .chain(runIds -> runEvents.movedWithExperiment(conn, String.valueOf(id), runIds, stage, now)));
    }

    public Uni<Void> setTag(String experimentId, String key, String value) {
        long id = TrackingRules.experimentNumber(experimentId, "experiment_id");
        ExperimentTag tag = TrackingRules.validateExperimentTag(new ExperimentTag(key, value));
        return pool.withTransaction(conn -> active(conn, experimentId, id)
                .chain(() -> experiments.upsertTags(conn, id, List.of(tag))));
    }

    public Uni<Void> deleteTag(String experimentId, String key) {
        long id = TrackingRules.experimentNumber(experimentId, "experiment_id");
        if (key == null) {
            throw MlflowException.missing("key");
        }
        return pool.withTransaction(conn -> active(conn, experimentId, id)
                .chain(() -> experiments.deleteTag(conn, id, key))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw MlflowException.notFound("No tag with name: " + key + " in experiment with id " + experimentId);
                    }
                })
                .replaceWithVoid());
    }

    public Uni<Page<Experiment>> search(String viewType, String filter, List<String> orderBy, Long maxResults,
                                        String pageToken) {
        int max = MaxResults.forSearch(maxResults);
        long offset = PageToken.decodeOffset(pageToken);
        ExperimentSearchSql.Query query = ExperimentSearchSql.build(ViewType.parse(viewType, "view_type"), filter,
                orderBy, offset, max);
        return reads.run(conn -> experiments.search(conn, query)
                .chain(rows -> {
                    List<ExperimentRow> page = rows.size() > max ? rows.subList(0, max) : rows;
                    String next = rows.size() > max ? PageToken.encode(offset + max) : null;
                    Long[] ids = page.stream().map(ExperimentRow::id).toArray(Long[]::new);
                    return experiments.tagsOf(conn, ids).map(tags -> new Page<>(withTags(page, tags), next));
                }));
    }

    /** The datasets used by runs of 1 to 20 experiments, as MLflow's UI lists them. */
    public Uni<List<DatasetSummary>> searchDatasets(List<String> experimentIds) {
        if (experimentIds == null || experimentIds.isEmpty()) {
            throw MlflowException.invalidParameter("SearchDatasets request must specify at least one experiment_id.");
        }
        if (experimentIds.size() > 20) {
            throw MlflowException.invalidParameter("SearchDatasets request cannot specify more than 20 experiment_ids. "
                    + "Received " + experimentIds.size() + " experiment_ids.");
        }
        Long[] ids = experimentIds.stream().map(id -> TrackingRules.experimentNumber(id, "experiment_ids")).toArray(Long[]::new);
        return experiments.datasetSummaries(pool, ids);
    }

    /** Fails unless the experiment exists and is active: MLflow refuses writes to deleted experiments. */
    Uni<ExperimentRow> active(SqlClient client, String experimentId, long id) {
        return existing(client, experimentId, id).invoke(row -> {
            if (row.lifecycleStage() != LifecycleStage.active) {
                throw MlflowException.invalidParameter("The experiment " + experimentId
                        + " must be in the 'active' state. Current state is " + row.lifecycleStage() + ".");
            }
        });
    }

    private Uni<ExperimentRow> existing(SqlClient client, String experimentId, long id) {
        return experiments.findById(client, id).onItem().ifNull().failWith(() -> NotFound.experiment(experimentId));
    }

    private Uni<Experiment> withTags(SqlClient client, ExperimentRow row) {
        return experiments.tags(client, row.id()).map(row::withTags);
    }

    private static List<Experiment> withTags(List<ExperimentRow> rows, Map<Long, List<ExperimentTag>> tags) {
        List<Experiment> result = new ArrayList<>(rows.size());
        for (ExperimentRow row : rows) {
            result.add(row.withTags(tags.getOrDefault(row.id(), List.of())));
        }
        return result;
    }
}
