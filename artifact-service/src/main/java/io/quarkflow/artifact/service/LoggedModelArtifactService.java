package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A logged model's artifacts (MLflow 3), with paths relative to the model's artifact root, which tracking-service
 * owns: the listing (ListLoggedModelArtifacts) and the web UI's download. Paths are checked before the model is
 * looked up, as MLflow does.
 */
@ApplicationScoped
public class LoggedModelArtifactService {

    private final ArtifactRoots roots;
    private final ArtifactStorage storage;
    private final ArtifactTraffic traffic;

    public LoggedModelArtifactService(ArtifactRoots roots, ArtifactStorage storage, ArtifactTraffic traffic) {
        this.roots = roots;
        this.storage = storage;
        this.traffic = traffic;
    }

    public Uni<ArtifactListing> list(String modelId, String directoryPath) {
        String relative = ArtifactPathValidator.validateOptional(directoryPath);
        return roots.ofLoggedModel(modelId).chain(root -> RootedArtifacts.list(storage, root, relative));
    }

    /** The item arrives on a worker thread, where the caller streams the content to the client and closes it. */
    public Uni<Download> download(String modelId, String filePath) {
        if (filePath == null || filePath.isEmpty()) {
            // MLflow's code and message (handlers.py, get_logged_model_artifact_handler).
            throw new MlflowException(ErrorCode.BAD_REQUEST,
                    "Request must include the \"artifact_file_path\" query parameter.");
        }
        String relative = ArtifactPathValidator.validate(filePath);
        return roots.ofLoggedModel(modelId).chain(root -> RootedArtifacts.open(storage, root, relative))
                .map(traffic::sent);
    }
}
