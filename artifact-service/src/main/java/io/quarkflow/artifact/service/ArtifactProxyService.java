package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.artifact.domain.FileInfo;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.quarkflow.artifact.store.StoredEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.List;

/**
 * MLflow's artifact proxy (mlflow-artifacts/artifacts): paths are relative to the storage root. Downloads and
 * uploads are java.io streams and block; their resources run on worker threads.
 */
@ApplicationScoped
public class ArtifactProxyService {

    private final ArtifactStorage storage;
    private final ArtifactTraffic traffic;

    public ArtifactProxyService(ArtifactStorage storage, ArtifactTraffic traffic) {
        this.storage = storage;
        this.traffic = traffic;
    }

    /** Blocking. The caller streams the content to the client and closes it. */
    public Download download(String path) {
        String key = ArtifactPathValidator.validate(path);
        return traffic.sent(Download.of(key, storage.read(key)));
    }

    /** Blocking. {@code size} is -1 when the client did not send a Content-Length. */
    public void upload(String path, InputStream body, long size) {
        storage.write(ArtifactPathValidator.validate(path), traffic.received(body), size);
    }

    /** One level under {@code path}; like MLflow's proxy, each file's path is its name alone. */
    public Uni<List<FileInfo>> list(String path) {
        String key = ArtifactPathValidator.validateOptional(path);
        return Workers.run(() -> storage.list(key))
                .map(entries -> fileInfos("", entries));
    }

    public Uni<Void> delete(String path) {
        String key = ArtifactPathValidator.validate(path);
        return Workers.run(() -> storage.delete(key));
    }

    static List<FileInfo> fileInfos(String parent, List<StoredEntry> entries) {
        return entries.stream()
                .map(entry -> entry.directory()
                        ? FileInfo.directory(ArtifactKeys.join(parent, entry.name()))
                        : FileInfo.file(ArtifactKeys.join(parent, entry.name()), entry.size()))
                .toList();
    }
}
