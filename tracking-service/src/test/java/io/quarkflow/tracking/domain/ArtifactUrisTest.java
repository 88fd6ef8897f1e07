package io.quarkflow.tracking.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArtifactUrisTest {

    @Test
    void joinsWithExactlyOneSlashAsMlflowDoes() {
        assertEquals("mlflow-artifacts:/7", ArtifactUris.experimentLocation("mlflow-artifacts:/", "7"));
        assertEquals("s3://bucket/mlflow/7", ArtifactUris.experimentLocation("s3://bucket/mlflow//", "7"));
        assertEquals("file:///tmp/runs/7", ArtifactUris.experimentLocation("file:///tmp/runs", "7"));
        assertEquals("s3://b/7/abc/artifacts", ArtifactUris.runArtifacts("s3://b/7/", "abc"));
        assertEquals("mlflow-artifacts:/0/abc/artifacts", ArtifactUris.runArtifacts("mlflow-artifacts:/0", "abc"));
    }
}
