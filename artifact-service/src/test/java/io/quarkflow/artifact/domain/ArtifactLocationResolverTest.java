package io.quarkflow.artifact.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArtifactLocationResolverTest {

    private final ArtifactLocationResolver s3 =
            new ArtifactLocationResolver(new StorageRoot.S3Bucket("artifacts", "mlflow"));
    private final ArtifactLocationResolver wholeBucket =
            new ArtifactLocationResolver(new StorageRoot.S3Bucket("artifacts", ""));
    private final ArtifactLocationResolver local =
            new ArtifactLocationResolver(new StorageRoot.LocalDirectory(Path.of("/srv/mlartifacts")));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mlflow-artifacts:/1/0a1b/artifacts|1/0a1b/artifacts",
        "mlflow-artifacts:/|''",
        "mlflow-artifacts:///1/x|1/x",
        "mlflow-artifacts://tracking.example:5000/1/x|1/x",
        "s3://artifacts/mlflow/1/0a1b/artifacts|1/0a1b/artifacts",
        "s3://artifacts/mlflow|''",
        "s3://artifacts/mlflow/|''",
        "S3://artifacts/mlflow/2|2"})
    void mapsUrisInsideTheBucketPrefix(String uri, String key) {
        assertEquals(key, s3.resolve(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "s3://other-bucket/mlflow/1", "s3://artifacts/other/1", "s3://artifacts/mlflowx/1", "s3://artifacts",
        "s3:/artifacts/mlflow/1", "s3://artifacts/mlflow/../secret", "s3://artifacts/mlflow/1/%2e%2e/%2e%2e/x",
        "s3://artifacts/mlflow/%252e%252e/x", "s3://artifacts/mlflow//x", "file:///srv/mlartifacts/1",
        "/srv/mlartifacts/1", "mlflow-artifacts:/../secret", "mlflow-artifacts:/1/%2e%2e/%2e%2e/x",
        "mlflow-artifacts:////etc/passwd", "mlflow-artifacts:/C:/Windows", "http://host/api/2.0/mlflow-artifacts/x",
        "gs://artifacts/mlflow/1", "runs:/0a1b/model", "relative/path"})
    void refusesUrisOutsideTheBucketPrefix(String uri) {
        MlflowException e = assertThrows(MlflowException.class, () -> s3.resolve(uri));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void refusesAnEmptyUri(String uri) {
        assertThrows(MlflowException.class, () -> s3.resolve(uri));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3://artifacts/1/x|1/x",
        "s3://artifacts/|''",
        "mlflow-artifacts:/1|1"})
    void anEmptyPrefixIsTheWholeBucket(String uri, String key) {
        assertEquals(key, wholeBucket.resolve(uri));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "file:///srv/mlartifacts/1/0a1b/artifacts|1/0a1b/artifacts",
        "file:/srv/mlartifacts/1|1",
        "file://localhost/srv/mlartifacts|''",
        "/srv/mlartifacts/1/x|1/x",
        "mlflow-artifacts:/1/x|1/x"})
    void mapsLocalUrisOnlyUnderTheRoot(String uri, String key) {
        assertEquals(key, local.resolve(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "file:///etc/passwd", "file:///srv/mlartifacts/../etc/passwd", "file:///srv/mlartifacts/1/%2e%2e/%2e%2e/x",
        "file:///srv/mlartifacts-evil/x", "file:///srv", "file://evil.example/srv/mlartifacts/x",
        "file:srv/mlartifacts/x", "/srv/mlartifacts/../../etc", "s3://artifacts/mlflow/1"})
    void refusesLocalUrisOutsideTheRoot(String uri) {
        assertThrows(MlflowException.class, () -> local.resolve(uri));
    }
}
