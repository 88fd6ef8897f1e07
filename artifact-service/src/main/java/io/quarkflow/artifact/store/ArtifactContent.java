package io.quarkflow.artifact.store;

import java.io.InputStream;

/** An open artifact file: its bytes, to be read once and closed, and its size. */
public record ArtifactContent(InputStream stream, long size) {
}
