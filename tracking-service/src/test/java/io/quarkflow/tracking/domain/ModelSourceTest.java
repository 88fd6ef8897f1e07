package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model version sources, read and checked as MLflow's server checks them (handlers.py, _validate_source_run). */
class ModelSourceTest {

    @Test
    void modelsUrisNameALoggedModelOrAVersion() {
        assertEquals(new ModelSource(ModelSource.Kind.LOGGED_MODEL, "models:/m-abc", "m-abc", null),
                ModelSource.parse("models:/m-abc", "m-abc"));
        assertEquals(new ModelSource(ModelSource.Kind.MODEL_VERSION, "models:/my model/12", "my model", "12"),
                ModelSource.parse("models:/my model/12", null));
        for (String cannotBeRead : new String[] {"models:/name@champion", "models:/name/Production", "models:/a/b/c"}) {
            MlflowException e = assertThrows(MlflowException.class, () -> ModelSource.parse(cannotBeRead, null));
            assertTrue(e.getMessage().startsWith("Unable to fetch model from model URI source artifact location '"
                    + cannotBeRead + "'.Error: "), e.getMessage());
        }
    }

    @Test
    void runsUrisNameARunAndAPathInIt() {
        assertEquals(new ModelSource(ModelSource.Kind.RUN, "runs:/r1/model/sub/", "r1", "model/sub"),
                ModelSource.parse("runs:/r1/model/sub/", null));
        assertEquals(new ModelSource(ModelSource.Kind.RUN, "runs:/r1", "r1", ""), ModelSource.parse("runs:/r1", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket/models/a", "mlflow-artifacts:/1/models/m-1/artifacts",
        "https://host:5000/api/2.0/mlflow-artifacts/artifacts/x", "gs://b/p?x=1"})
    void absoluteRemoteUrisAreKeptAsTheyAre(String source) {
        assertEquals(new ModelSource(ModelSource.Kind.URI, source, null, null), ModelSource.parse(source, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://b/p/../q", "mlflow-artifacts://host:1/..%2f..%2fetc", "http://h/a/%252e%252e/b",
        "https://h/api/2.0/mlflow-artifacts/artifacts%00", "s3://b", "s3://b/./p", "mlflow-artifacts:relative",
        "s3:/my_bucket/models/path/../../other/path", "models:/../m-1"})
    void relativePathsAndTraversalAreRefused(String source) {
        MlflowException e = assertThrows(MlflowException.class, () -> ModelSource.parse(source, null));
        assertEquals("Invalid model version source: '" + source + "'. If supplying a source as an http, https, local "
                + "file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without "
                + "relative path references present. Please provide an absolute path.", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tmp/model", "file:///etc/passwd", "model", "file://localhost/x"})
    void localPathsAreRefusedNamingTheParameterMlflowNames(String source) {
        assertTrue(assertThrows(MlflowException.class, () -> ModelSource.parse(source, null)).getMessage()
                .contains("the run_id request parameter has to be specified"));
        assertTrue(assertThrows(MlflowException.class, () -> ModelSource.parse(source, "m-1")).getMessage()
                .contains("the model_id request parameter has to be specified"));
    }

    @Test
    void aMissingSourceIsMlflowsMissingParameter() {
        assertEquals("Missing value for required parameter 'source'. See the API docs for more information about "
                + "request parameters.", assertThrows(MlflowException.class, () -> ModelSource.parse("", null))
                .getMessage());
    }
}
