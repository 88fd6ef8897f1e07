package io.quarkflow.artifact.domain;

import java.nio.file.Path;

/** Where the configured storage keeps artifact bytes. */
public sealed interface StorageRoot {

    /** A directory on this machine (the embedded default). */
    record LocalDirectory(Path directory) implements StorageRoot {
    }

    /** A bucket of an S3-compatible store, with every key under {@code prefix} ("" for the whole bucket). */
    record S3Bucket(String bucket, String prefix) implements StorageRoot {
    }
}
