package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

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

    /** As the tests configure the service: the default root and one bucket prefix. */
    private static final ArtifactLocations SERVED = ArtifactLocations.allowing(
            List.of("mlflow-artifacts:/", "s3://bucket/some"));

    @ParameterizedTest
    @ValueSource(strings = {"mlflow-artifacts:/1/abc/artifacts/model", "mlflow-artifacts:/models/",
        "mlflow-artifacts:/models///", "MLFLOW-ARTIFACTS:/x", "s3://bucket/some/p", "s3://BUCKET/some/deeper/p",
        "mlflow-artifacts:/models/artifact/..../"})
    void aUriInsideAnArtifactLocationIsAccepted(String source) {
        assertEquals(ModelSource.Kind.URI, ModelSource.parse(source, null, null, SERVED).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://other-bucket/x", "s3://bucket/x", "s3://bucket/somewhere/x", "s3://bucket-other/some/x",
        "http://169.254.169.254/latest/meta-data", "https://evil.example/m", "gs://bucket/some/x",
        "mlflow-artifacts://evil.example/1", "mlflow-artifacts://host:9000/models", "mlflow-artifacts:/models/foo///bar",
        "s3://bucket//some/x", "mlflow-artifacts:/1%2F..%2Fx", "s3://bucket/some/p?x=1"})
    void anyOtherUriIsRefusedWithMlflowsWordsAndTheReason(String source) {
        MlflowException e = assertThrows(MlflowException.class, () -> ModelSource.parse(source, null, null, SERVED));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
        assertTrue(e.getMessage().startsWith("Invalid model version source: '" + source + "'. "), e.getMessage());
    }

    @Test
    void theRefusalNamesTheAllowedLocationsAndTheSetting() {
        MlflowException e = assertThrows(MlflowException.class,
                () -> ModelSource.parse("s3://other-bucket/x", "", List.of(), SERVED));
        assertEquals("Invalid model version source: 's3://other-bucket/x'. It is not allowed: this server accepts only "
                + "artifact locations under mlflow-artifacts:/, s3://bucket/some "
                + "(quarkflow.tracking.artifact-locations).", e.getMessage());
    }

    @Test
    void localPathsStayRefusedWhateverTheAllowedLocations() {
        ArtifactLocations local = ArtifactLocations.allowing(List.of("/srv/mlartifacts"));
        for (String source : List.of("file:///srv/mlartifacts/1/model", "/srv/mlartifacts/1/model")) {
            MlflowException e = assertThrows(MlflowException.class, () -> ModelSource.parse(source, null, null, local));
            assertTrue(e.getMessage().contains("To use a local path as a model version source"), e.getMessage());
        }
    }

    @Test
    void whatAModelsOrRunsSourceResolvesToMustBeServedToo() {
        ModelSource logged = ModelSource.parse("models:/m-1", "m-1", null, SERVED);
        logged.requireServed("mlflow-artifacts:/1/models/m-1/artifacts", SERVED);
        MlflowException e = assertThrows(MlflowException.class,
                () -> logged.requireServed("s3://old-bucket/1/models/m-1/artifacts", SERVED));
        assertEquals("Invalid model version source: 'models:/m-1'. Its files are at "
                + "'s3://old-bucket/1/models/m-1/artifacts', which is not allowed: this server accepts only artifact "
                + "locations under mlflow-artifacts:/, s3://bucket/some (quarkflow.tracking.artifact-locations).",
                e.getMessage());
        ModelSource run = ModelSource.parse("runs:/r1/model", null, null, SERVED);
        assertThrows(MlflowException.class, () -> run.requireServed("file:///tmp/mlruns/0/r1/artifacts/model", SERVED));
        // A run the server does not know keeps its runs:/ URI, which the client resolves through this server.
        run.requireServed("runs:/r1/model", SERVED);
        ModelSource version = ModelSource.parse("models:/name/2", null, null, SERVED);
        assertThrows(MlflowException.class, () -> version.requireServed("https://evil.example/m", SERVED));
    }

    @Test
    void aPromptVersionsTextSourceIsKeptAsMlflowKeepsIt() {
        List<ModelVersionTag> prompt = List.of(new ModelVersionTag(RegistryRules.PROMPT_TAG, "true"));
        ModelSource template = ModelSource.parse("prompt-template", null, prompt, SERVED);
        assertEquals(new ModelSource(ModelSource.Kind.PROMPT, "prompt-template", null, null), template);
        template.requireServed("prompt-template", SERVED);
        // Without the tag the same text is a local path; with it, a URI is still a URI to check.
        assertThrows(MlflowException.class, () -> ModelSource.parse("prompt-template", null, List.of(), SERVED));
        assertThrows(MlflowException.class, () -> ModelSource.parse("s3://other-bucket/x", null, prompt, SERVED));
        assertThrows(MlflowException.class, () -> ModelSource.parse("file:///etc/passwd", null, prompt, SERVED));
    }
}
