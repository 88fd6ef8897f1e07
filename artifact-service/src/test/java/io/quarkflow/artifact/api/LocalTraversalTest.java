package io.quarkflow.artifact.api;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LocalTraversalTest extends TraversalContract {
}
