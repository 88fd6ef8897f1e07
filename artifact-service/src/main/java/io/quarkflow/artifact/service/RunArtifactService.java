package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.quarkflow.mlflow.errors.MlflowException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;

/**
 * A run's artifacts, with paths relative to the run's artifact root: the tracking API's artifacts/list, and the
 * web UI's get-artifact and upload-artifact. Paths are checked before the run is looked up, as MLflow does.
 */
@ApplicationScoped
public class RunArtifactService {

    private final ArtifactRoots roots;
    private final ArtifactStorage storage;
    private final ArtifactTraffic traffic;

    public RunArtifactService(ArtifactRoots roots, ArtifactStorage storage, ArtifactTraffic traffic) {
        this.roots = roots;
        this.storage = storage;
        this.traffic = traffic;
    }

    public Uni<ArtifactListing> list(String runId, String path) {
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.missing("run_id");
        }
        String relative = ArtifactPathValidator.validateOptional(path);
        return roots.ofRun(runId).chain(root -> RootedArtifacts.list(storage, root, relative));
    }

    /** The item arrives on a worker thread, where the caller streams the content to the client and closes it. */
    public Uni<Download> download(String runId, String path) {
        if (path == null) {
            throw MlflowException.missing("path");
        }
        String relative = ArtifactPathValidator.validate(path);
        return roots.ofRun(runId).chain(root -> RootedArtifacts.open(storage, root, relative))
                .map(traffic::sent);
    }

    /**
     * The UI's upload: the body becomes the file at {@code path} under the run's root. MLflow's checks, messages and
     * order; only run_uuid names the run here. {@code length} is -1 when the body is chunked.
     */
    public Uni<Void> upload(String runUuid, String path, InputStream body, long length) {
        if (runUuid == null || runUuid.isEmpty()) {
            throw MlflowException.invalidParameter("Request must specify run_uuid.");
        }
        if (path == null || path.isEmpty()) {
            throw MlflowException.invalidParameter("Request must specify path.");
        }
        String relative = ArtifactPathValidator.validate(path);
        InputStream data = traffic.received(UiUploadBody.checked(body, length));
        return roots.ofRun(runUuid)
                .chain(root -> Workers.run(() -> storage.write(root.keyOf(relative), data, length)));
    }
}
