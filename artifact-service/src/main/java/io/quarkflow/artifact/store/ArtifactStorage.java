package io.quarkflow.artifact.store;

import java.io.InputStream;
import java.util.List;

/**
 * Artifact bytes under one storage root, addressed by keys that passed
 * {@link io.quarkflow.artifact.domain.ArtifactPathValidator}. Every method blocks: call it on a worker thread.
 */
public interface ArtifactStorage {

    /** The file at {@code key}; RESOURCE_DOES_NOT_EXIST when there is none (a directory is not a file). */
    ArtifactContent read(String key);

    /** Streams {@code content} to {@code key}, replacing any file there; {@code size} is -1 when unknown. */
    void write(String key, InputStream content, long size);

    /** The children of the directory {@code key} ("" for the root), sorted by name; empty when it is not one. */
    List<StoredEntry> list(String key);

    /** Deletes the file or the whole directory tree at {@code key}; deleting nothing is not an error. */
    void delete(String key);

    /** Null when the storage can be used (its directory or bucket is there), else why not; for readiness. */
    String problem();
}
