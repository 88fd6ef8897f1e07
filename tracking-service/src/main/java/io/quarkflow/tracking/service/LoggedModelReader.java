package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.LoggedModel;
import io.quarkflow.tracking.domain.LoggedModelInfo;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** A LoggedModel message besides its row (tags, params, metrics), read for many models at once: get and search alike. */
@ApplicationScoped
public class LoggedModelReader {

    private final LoggedModelRepository models;

    public LoggedModelReader(LoggedModelRepository models) {
        this.models = models;
    }

    /** The models with their tags, params and metrics, in the order given. */
    public Uni<List<LoggedModel>> withData(SqlClient client, List<LoggedModelInfo> infos) {
        if (infos.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] ids = infos.stream().map(LoggedModelInfo::modelId).toArray(String[]::new);
        return Uni.combine().all()
                .unis(models.tagsOf(client, ids), models.paramsOf(client, ids), models.metricsOf(client, ids))
                .with((tags, params, metrics) -> {
                    List<LoggedModel> result = new ArrayList<>(infos.size());
                    for (LoggedModelInfo info : infos) {
                        String id = info.modelId();
                        result.add(new LoggedModel(info.withTags(tags.getOrDefault(id, List.of())),
                                new LoggedModel.Data(params.getOrDefault(id, List.of()), metrics.getOrDefault(id, List.of()))));
                    }
                    return result;
                });
    }

    public Uni<LoggedModel> withData(SqlClient client, LoggedModelInfo info) {
        return withData(client, List.of(info)).map(found -> found.get(0));
    }
}
