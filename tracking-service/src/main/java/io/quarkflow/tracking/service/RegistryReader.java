package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.ModelVersion;
import io.quarkflow.tracking.domain.RegisteredModel;
import io.quarkflow.tracking.domain.RegisteredModelAlias;
import io.quarkflow.tracking.domain.RegisteredModelTag;
import io.quarkflow.tracking.domain.RegistryRules;
import io.quarkflow.tracking.store.ModelVersionRepository;
import io.quarkflow.tracking.store.ModelVersionRepository.VersionRow;
import io.quarkflow.tracking.store.RegisteredModelRepository;
import io.quarkflow.tracking.store.RegisteredModelRepository.ModelRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads registry entities whole, a fixed number of statements for any number of them. As MLflow's server answers:
 * a version read on its own carries its aliases; versions in a search or in a model's latest_versions do not.
 */
@ApplicationScoped
public class RegistryReader {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;

    public RegistryReader(RegisteredModelRepository models, ModelVersionRepository versions) {
        this.models = models;
        this.versions = versions;
    }

    public Uni<RegisteredModel> model(SqlClient client, ModelRow row) {
        return models(client, List.of(row)).map(list -> list.get(0));
    }

    public Uni<List<RegisteredModel>> models(SqlClient client, List<ModelRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] ids = rows.stream().map(ModelRow::id).toArray(Long[]::new);
        String[] stages = RegistryRules.STAGES.toArray(String[]::new);
        return models.tagsOf(client, ids)
                .chain(tags -> models.aliasesOf(client, ids)
                        .chain(aliases -> versions.latestVersions(client, ids, stages)
                                .chain(latest -> withTags(client, latest))
                                .map(latest -> assemble(rows, tags, aliases, latest))));
    }

    /** Versions with their tags, without aliases. */
    public Uni<List<ModelVersion>> withTags(SqlClient client, List<VersionRow> rows) {
        return versions.tagsOf(client, rows).map(tags -> rows.stream()
                .map(row -> row.version().withTags(tags.getOrDefault(row.key(), List.of())))
                .toList());
    }

    /** Versions with their tags and aliases. */
    public Uni<List<ModelVersion>> versionsWithAliases(SqlClient client, List<VersionRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] ids = rows.stream().map(VersionRow::modelId).distinct().toArray(Long[]::new);
        return withTags(client, rows).chain(tagged -> models.aliasesOf(client, ids).map(aliases -> {
            List<ModelVersion> result = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                String number = rows.get(i).version().version();
                result.add(tagged.get(i).withAliases(aliases.getOrDefault(rows.get(i).modelId(), List.of()).stream()
                        .filter(alias -> alias.version().equals(number)).map(RegisteredModelAlias::alias).toList()));
            }
            return result;
        }));
    }

    /** One version with its tags and aliases. */
    public Uni<ModelVersion> version(SqlClient client, VersionRow row) {
        return withTags(client, List.of(row))
                .chain(list -> versions.aliasesOf(client, row.modelId(), row.number()).map(list.get(0)::withAliases));
    }

    private static List<RegisteredModel> assemble(List<ModelRow> rows, Map<Long, List<RegisteredModelTag>> tags,
                                                  Map<Long, List<RegisteredModelAlias>> aliases,
                                                  List<ModelVersion> latest) {
        Map<String, List<ModelVersion>> latestByName = new HashMap<>();
        for (ModelVersion version : latest) {
            latestByName.computeIfAbsent(version.name(), name -> new ArrayList<>()).add(version);
        }
        return rows.stream().map(row -> new RegisteredModel(row.name(), row.creationTimestamp(),
                        row.lastUpdatedTimestamp(), row.description(), latestByName.getOrDefault(row.name(), List.of()),
                        tags.getOrDefault(row.id(), List.of()), aliases.getOrDefault(row.id(), List.of())))
                .toList();
    }

}
