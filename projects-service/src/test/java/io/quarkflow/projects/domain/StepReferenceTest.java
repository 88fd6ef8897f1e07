package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepReferenceTest {

    @Test
    void everyKindOfReferenceIsRead() {
        assertEquals(List.of(new StepReference(null, "parameters", "alpha"),
                        new StepReference("train", "run_id", null),
                        new StepReference("gen", "artifact_uri", null),
                        new StepReference("train", "params", "model.alpha"),
                        new StepReference("train", "metrics", "rmse"),
                        new StepReference("train", "tags", "mlflow.user")),
                StepReference.in("${parameters.alpha} runs:/${steps.train.run_id}/model ${steps.gen.artifact_uri}/data"
                        + " ${steps.train.params.model.alpha}${steps.train.metrics.rmse} ${steps.train.tags.mlflow.user}"));
    }

    @Test
    void referencesAreReplacedAndTheRestKeptAsItIs() {
        String resolved = StepReference.resolve("runs:/${steps.train.run_id}/model?a=${parameters.a}&b=$1\\x",
                reference -> reference.step() == null ? "A" : "r1");
        assertEquals("runs:/r1/model?a=A&b=$1\\x", resolved);
        assertEquals("plain", StepReference.resolve("plain", reference -> "never"));
    }

    @Test
    void aDoubledDollarIsALiteral() {
        assertEquals("${steps.x.run_id} and r", StepReference.resolve("$${steps.x.run_id} and ${steps.x.run_id}",
                reference -> "r"));
        assertEquals(List.of(), StepReference.in("$${not.a.reference}"));
    }

    @Test
    void aMalformedReferenceIsRefusedWithWhatIsAllowed() {
        for (String bad : List.of("${steps.train}", "${steps.train.size}", "${steps..run_id}", "${parameters.}",
                "${run_id}", "${}", "${steps.a b.run_id}", "${steps.train.params.}")) {
            MlflowException refused = assertThrows(MlflowException.class, () -> StepReference.in(bad), bad);
            assertTrue(refused.getMessage().startsWith("Invalid reference '" + bad + "'"), refused.getMessage());
        }
    }

    @Test
    void aReferenceSaysWhatItIs() {
        assertEquals("${steps.train.metrics.rmse}", new StepReference("train", "metrics", "rmse").toString());
        assertEquals("${steps.train.run_id}", new StepReference("train", "run_id", null).toString());
        assertEquals("${parameters.a}", new StepReference(null, "parameters", "a").toString());
    }
}
