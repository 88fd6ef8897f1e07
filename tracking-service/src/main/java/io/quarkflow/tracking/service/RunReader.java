package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.store.RunRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** What a Run message carries besides its info, read for many runs at once: runs/get and runs/search answer alike. */
@ApplicationScoped
public class RunReader {

    private final RunRepository runs;

    public RunReader(RunRepository runs) {
        this.runs = runs;
    }

    /** The runs with their latest metrics, params, tags, inputs and outputs, in the order given. */
    public Uni<List<Run>> withData(SqlClient client, List<RunInfo> infos) {
        if (infos.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] ids = infos.stream().map(RunInfo::runId).toArray(String[]::new);
        return Uni.combine().all()
                .unis(runs.latestMetricsOf(client, ids), runs.paramsOf(client, ids), runs.tagsOf(client, ids),
                        runs.inputsOf(client, ids), runs.modelInputsOf(client, ids), runs.modelOutputsOf(client, ids))
                .with((metrics, params, tags, inputs, modelInputs, modelOutputs) -> {
                    List<Run> result = new ArrayList<>(infos.size());
                    for (RunInfo info : infos) {
                        String id = info.runId();
                        result.add(new Run(info,
                                new Run.Data(metrics.getOrDefault(id, List.of()), params.getOrDefault(id, List.of()),
                                        tags.getOrDefault(id, List.of())),
                                new Run.Inputs(inputs.getOrDefault(id, List.of()), modelInputs.getOrDefault(id, List.of())),
                                new Run.Outputs(modelOutputs.getOrDefault(id, List.of()))));
                    }
                    return result;
                });
    }
}
