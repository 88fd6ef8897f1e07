package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.artifact.domain.ContentTypes;
import io.quarkflow.artifact.store.ArtifactContent;

import java.io.InputStream;

/** An artifact file on its way to a client: the caller streams {@code stream} and closes it. */
public record Download(String fileName, String contentType, InputStream stream, long size) {

    /** The file at {@code key}, named and typed as MLflow names and types it; {@code size} is -1 when unknown. */
    static Download of(String key, ArtifactContent content) {
        return new Download(ArtifactKeys.fileName(key), ContentTypes.of(key), content.stream(), content.size());
    }
}
