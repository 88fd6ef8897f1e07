package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunStatusTest {

    @Test
    void parsesNamesAndProtobufNumbers() {
        assertEquals(RunStatus.FINISHED, RunStatus.parse("FINISHED"));
        assertEquals(RunStatus.KILLED, RunStatus.parse("killed"));
        assertEquals(RunStatus.SCHEDULED, RunStatus.parse("2"));
        assertEquals(ViewType.ALL, ViewType.parse("3", "view_type"));
        assertEquals(ViewType.ACTIVE_ONLY, ViewType.parse(null, "view_type"));
    }

    @Test
    void rejectsUnknownValues() {
        assertThrows(MlflowException.class, () -> RunStatus.parse("DONE"));
        assertThrows(MlflowException.class, () -> ViewType.parse("9", "view_type"));
    }
}
