package io.quarkflow.artifact.api;

import io.quarkflow.artifact.S3Backend;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(S3Backend.class)
class S3TraversalTest extends TraversalContract {
}
