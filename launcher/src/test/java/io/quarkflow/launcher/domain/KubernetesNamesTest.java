package io.quarkflow.launcher.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesNamesTest {

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Test
    void mlflowRunIdsMakeReadableJobNames() {
        assertEquals("mlflow-run-0123456789abcdef0123456789abcdef",
                KubernetesNames.jobName("0123456789abcdef0123456789abcdef"));
    }

    @Test
    void anyIdMakesAValidNameOfAtMost63Characters() {
        for (String id : new String[]{"UPPER_case id", "x".repeat(200), "--", "ü", "a.b/c", "-leading"}) {
            String name = KubernetesNames.jobName(id);
            assertTrue(name.length() <= 63, name);
            assertTrue(name.matches(DNS_LABEL), name);
            assertTrue(KubernetesNames.labelValue(id).matches(DNS_LABEL), id);
        }
    }

    @Test
    void namesAreDerivedFromTheIdAloneAndKeepIdsApart() {
        assertEquals(KubernetesNames.jobName("Run_1"), KubernetesNames.jobName("Run_1"));
        assertNotEquals(KubernetesNames.jobName("Run_1"), KubernetesNames.jobName("run-1"));
        assertNotEquals(KubernetesNames.jobName("a".repeat(100) + "1"), KubernetesNames.jobName("a".repeat(100) + "2"));
    }

    @Test
    void containerNamesFollowTheProjectName() {
        assertEquals("main", KubernetesNames.containerName(""));
        assertEquals("main", KubernetesNames.containerName(null));
        assertEquals("sklearn-demo", KubernetesNames.containerName("sklearn-demo"));
        assertTrue(KubernetesNames.containerName("My Project_v2").matches(DNS_LABEL));
    }
}
