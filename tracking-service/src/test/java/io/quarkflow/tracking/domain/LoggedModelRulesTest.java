package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids, names, params, tags, outputs and statuses of logged models, as MLflow 3.3's server has them. */
class LoggedModelRulesTest {

    @Test
    void idsAreMAndThirtyTwoLowercaseHexDigits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String id = LoggedModelRules.newModelId();
            assertTrue(id.matches("m-[0-9a-f]{32}"), id);
            ids.add(id);
        }
        assertEquals(100, ids.size());
    }

    @Test
    void absentOrEmptyNamesAreGenerated() {
        assertTrue(LoggedModelRules.name(null).matches("[a-z]+-[a-z]+-\\d{1,3}"));
        assertFalse(LoggedModelRules.name("").isEmpty());
        assertEquals("model", LoggedModelRules.name("model"));
        assertEquals("my model-2_x", LoggedModelRules.name("my model-2_x"));
    }

    @Test
    void namesRefuseMlflowsCharacters() {
        for (String bad : List.of("a/b", "a:b", "a.b", "50%", "a\"b", "a'b")) {
            MlflowException e = assertThrows(MlflowException.class, () -> LoggedModelRules.name(bad));
            assertEquals("Invalid model name ('" + bad + "') provided. Model name must be a non-empty string and cannot "
                    + "contain the following characters: ('/', ':', '.', '%', '\"', \"'\")", e.getMessage());
        }
    }

    @Test
    void paramsNeedKeysAndUniqueOnesAndAreSorted() {
        assertEquals(List.of(new LoggedModelParameter("a", ""), new LoggedModelParameter("b", "1")),
                LoggedModelRules.params(List.of(new LoggedModelParameter("b", "1"), new LoggedModelParameter("a", null))));
        assertEquals(List.of(), LoggedModelRules.params(null));
        MlflowException missing = assertThrows(MlflowException.class,
                () -> LoggedModelRules.params(List.of(new LoggedModelParameter("a", "1"), new LoggedModelParameter(null, "2"))));
        assertTrue(missing.getMessage().startsWith("Missing value for required parameter 'params[1].key'"));
        assertThrows(MlflowException.class, () -> LoggedModelRules.params(
                List.of(new LoggedModelParameter("a", "1"), new LoggedModelParameter("a", "1"))));
    }

    @Test
    void tagsKeepTheLastValuePerKey() {
        assertEquals(List.of(new LoggedModelTag("a", "2"), new LoggedModelTag("b", "")), LoggedModelRules.tags(List.of(
                new LoggedModelTag("b", null), new LoggedModelTag("a", "1"), new LoggedModelTag("a", "2"))));
        assertThrows(MlflowException.class, () -> LoggedModelRules.tags(List.of(new LoggedModelTag("", "x"))));
    }

    @Test
    void outputsNeedModelsAndModelIdsAndDefaultTheStep() {
        assertEquals(List.of(new ModelOutput("m-1", 0L), new ModelOutput("m-2", 5L)),
                LoggedModelRules.outputs(List.of(new ModelOutput("m-1", null), new ModelOutput("m-2", 5L))));
        assertEquals(List.of(), LoggedModelRules.outputs(List.of()));
        assertTrue(assertThrows(MlflowException.class, () -> LoggedModelRules.outputs(null)).getMessage()
                .startsWith("Missing value for required parameter 'models'"));
        assertTrue(assertThrows(MlflowException.class, () -> LoggedModelRules.outputs(List.of(new ModelOutput(null, 1L))))
                .getMessage().startsWith("Missing value for required parameter 'models[0].model_id'"));
    }

    @Test
    void statusesByNameOrProtobufNumber() {
        assertEquals(LoggedModelStatus.LOGGED_MODEL_READY, LoggedModelStatus.parse("LOGGED_MODEL_READY"));
        assertEquals(LoggedModelStatus.LOGGED_MODEL_READY, LoggedModelStatus.parse("2"));
        assertEquals(LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED, LoggedModelStatus.parse("logged_model_upload_failed"));
        assertEquals(LoggedModelStatus.LOGGED_MODEL_STATUS_UNSPECIFIED, LoggedModelStatus.of(0));
        assertEquals("Unknown model status: 7", assertThrows(MlflowException.class,
                () -> LoggedModelStatus.parse("7")).getMessage());
        assertEquals("Unknown model status: READY", assertThrows(MlflowException.class,
                () -> LoggedModelStatus.parse("READY")).getMessage());
        assertTrue(LoggedModelStatus.LOGGED_MODEL_READY.isFinal());
        assertFalse(LoggedModelStatus.LOGGED_MODEL_PENDING.isFinal());
    }

    @Test
    void modelArtifactsAreUnderTheExperimentsModelsFolder() {
        assertEquals("mlflow-artifacts:/7/models/m-1/artifacts", ArtifactUris.modelArtifacts("mlflow-artifacts:/7", "m-1"));
        assertEquals("s3://b/x/models/m-1/artifacts", ArtifactUris.modelArtifacts("s3://b/x/", "m-1"));
    }
}
