package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactLocationsTest {

    /** The default: only what artifact-service serves. */
    private final ArtifactLocations served = ArtifactLocations.allowing(List.of("mlflow-artifacts:/"));
    private final ArtifactLocations configured = ArtifactLocations.allowing(
            List.of("mlflow-artifacts:/", "s3://bucket/teams/", "https://Artifacts.Example.com/mlflow"));

    @ParameterizedTest
    @ValueSource(strings = {"mlflow-artifacts:/", "mlflow-artifacts:/1", "mlflow-artifacts:/team/exp/", "MLFLOW-Artifacts:/1",
        "mlflow-artifacts:///1", "mlflow-artifacts:/with%20space", "mlflow-artifacts:/a%2540b"})
    void theDefaultAllowsWhatArtifactServiceServes(String location) {
        assertDoesNotThrow(() -> served.requireAllowed(location));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // elsewhere: the client would write there
        "file:///etc", "/etc", "/tmp/mlruns", "http://169.254.169.254/", "http://169.254.169.254/latest/meta-data",
        "https://evil.example/", "s3://other-bucket", "s3://other-bucket/x", "gs://bucket/x", "hdfs://nn/x",
        // another host behind the served scheme
        "mlflow-artifacts://evil.example/1", "mlflow-artifacts://evil.example:443/", "mlflow-artifacts://%65vil.example/1",
        // escapes and smuggled separators
        "mlflow-artifacts:/../", "mlflow-artifacts:/..", "mlflow-artifacts:/1/../../etc", "mlflow-artifacts:/./1",
        "mlflow-artifacts:/%2e%2e/x", "mlflow-artifacts:/%2E%2E/x", "mlflow-artifacts:/%252e%252e/x",
        "mlflow-artifacts:/.%2e/x", "mlflow-artifacts:/1%2F..%2F..%2Fetc", "mlflow-artifacts:/%2F%2Fevil.example/x",
        "mlflow-artifacts:/1%5c..%5cx", "mlflow-artifacts:/1\\..\\x", "mlflow-artifacts:/%25252e%25252e/x",
        "mlflow-artifacts:/1//2", "mlflow-artifacts:////evil.example/x", "mlflow-artifacts:/1?x=1", "mlflow-artifacts:/1#f",
        "mlflow-artifacts:/%zz", "mlflow-artifacts:/%c3", "mlflow-artifacts:/1%00", "mlflow-artifacts:/1\n",
        // relative and rootless forms resolve against something else
        "mlflow-artifacts:1", "mlflow-artifacts:", "mlflow-artifacts:%2F1", "mlruns", "./mlruns", "", " mlflow-artifacts:/1",
        "mlflow-artifacts%3A/1"})
    void everythingElseIsRefused(String location) {
        MlflowException e = assertThrows(MlflowException.class, () -> served.requireAllowed(location));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
        assertTrue(e.getMessage().startsWith("'artifact_location' " + location + " is not allowed: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket/teams", "s3://bucket/teams/vision", "S3://BUCKET/teams/vision/",
        "s3://bucket/teams/%76ision", "https://artifacts.example.com/mlflow/x", "HTTPS://ARTIFACTS.EXAMPLE.COM/mlflow"})
    void configuredPrefixesAllowWhatIsBelowThem(String location) {
        assertDoesNotThrow(() -> configured.requireAllowed(location));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket", "s3://bucket/", "s3://bucket/teamsx", "s3://bucket/teams-other/x",
        "s3://bucket-other/teams/x", "s3://bucket.evil.example/teams", "s3://bucket:9000/teams", "s3://x@bucket/teams",
        "s3://bucket/Teams/x", "s3://bucket//teams/x", "s3://bucket/teams/../other", "s3://bucket/teams%2F..%2Fother",
        "s3://bucket/teams%2fx", "https://artifacts.example.com/mlflowx", "https://artifacts.example.com.evil.example/mlflow",
        "https://artifacts.example.com@evil.example/mlflow", "http://artifacts.example.com/mlflow"})
    void aPrefixEndsAtASegmentBoundaryAndTheHostIsComparedWhole(String location) {
        assertThrows(MlflowException.class, () -> configured.requireAllowed(location));
    }

    @Test
    void theMessageNamesTheAllowedPrefixesAndTheSetting() {
        MlflowException e = assertThrows(MlflowException.class, () -> served.requireAllowed("file:///etc"));
        assertEquals("'artifact_location' file:///etc is not allowed: this server accepts only artifact locations under "
                + "mlflow-artifacts:/ (quarkflow.tracking.artifact-locations).", e.getMessage());
        MlflowException trick = assertThrows(MlflowException.class, () -> served.requireAllowed("mlflow-artifacts:/../x"));
        assertEquals("'artifact_location' mlflow-artifacts:/../x is not allowed: it has a '.' or '..' path segment.",
                trick.getMessage());
    }

    @Test
    void aRootCoversAllOfItsLocationsWithAPathOrWithout() {
        ArtifactLocations local = ArtifactLocations.allowing(List.of("/srv/mlartifacts"));
        assertDoesNotThrow(() -> local.requireAllowed("file:///srv/mlartifacts/1"));
        assertDoesNotThrow(() -> local.requireAllowed("/srv/mlartifacts/1"));
        assertThrows(MlflowException.class, () -> local.requireAllowed("file://host/srv/mlartifacts/1"));
        assertThrows(MlflowException.class, () -> local.requireAllowed("/srv/mlartifacts-old/1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/dir", "s3://bucket/a/../b", "s3://bucket/p?q=1", "mlflow-artifacts:/%zz"})
    void aConfiguredPrefixThatIsNoUsableUriStopsTheService(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactLocations.allowing(List.of("mlflow-artifacts:/", prefix)));
        assertTrue(e.getMessage().startsWith("Allowed artifact location '" + prefix + "' "), e.getMessage());
    }
}
