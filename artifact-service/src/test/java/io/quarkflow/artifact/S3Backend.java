package io.quarkflow.artifact;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Runs a test class against the S3 backend (S3Proxy); without it, tests use the local directory backend. */
public class S3Backend implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkflow.artifact.backend", "s3");
    }
}
