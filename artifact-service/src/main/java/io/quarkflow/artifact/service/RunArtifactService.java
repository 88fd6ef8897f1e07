package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.artifact.domain.FileInfo;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The tracking API's artifacts/list: a run's artifacts, with paths relative to the run's artifact root. */
@ApplicationScoped
public class RunArtifactService {

    private final RunLocations runs;
    private final ArtifactStorage storage;

    public RunArtifactService(RunLocations runs, ArtifactStorage storage) {
        this.runs = runs;
        this.storage = storage;
    }

    public Uni<RunArtifacts> list(String runId, String path) {
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.missing("run_id");
        }
        String relative = ArtifactPathValidator.validateOptional(path);
        return runs.of(runId)
                .chain(run -> Workers.run(() -> storage.list(ArtifactKeys.join(run.key(), relative)))
                        .map(entries -> new RunArtifacts(run.artifactUri(),
                                ArtifactProxyService.fileInfos(relative, entries))));
    }

    public record RunArtifacts(String rootUri, List<FileInfo> files) {
    }
}
