package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RegistryRulesTest {

    @Test
    void stagesAreReadInAnyCaseAndWrittenAsMlflowWritesThem() {
        assertEquals("Production", RegistryRules.stage("production"));
        assertEquals("None", RegistryRules.stage("NONE"));
        assertEquals(List.of("Staging", "Archived"), RegistryRules.stages(List.of("staging", "archived", "Staging")));
        assertEquals(RegistryRules.STAGES, RegistryRules.stages(List.of()));
        assertEquals("Invalid Model Version stage: bogus. Value must be one of None, Staging, Production, Archived.",
                assertThrows(MlflowException.class, () -> RegistryRules.stage("bogus")).getMessage());
    }

    @Test
    void versionsAreIntegersAndOutOfRangeOnesNameNothing() {
        assertEquals(3, RegistryRules.version(" 3 "));
        assertEquals(-1, RegistryRules.version("0"));
        assertEquals(-1, RegistryRules.version("99999999999"));
        assertEquals("Parameter 'version' must be an integer, got '1.5'.",
                assertThrows(MlflowException.class, () -> RegistryRules.version("1.5")).getMessage());
    }

    @Test
    void theModelVersionsTagGrowsAsMlflowsServerWritesIt() {
        String one = RegistryRules.withModelVersion(null, "m", 1);
        assertEquals("[{\"name\": \"m\", \"version\": 1}]", one);
        assertEquals("[{\"name\": \"m\", \"version\": 1}, {\"name\": \"m\", \"version\": 2}]",
                RegistryRules.withModelVersion(one, "m", 2));
        assertEquals(one, RegistryRules.withModelVersion(one, "m", 1));
        // The client's own entries (the version as a string) are kept beside the server's.
        assertEquals("[{\"name\": \"m\", \"version\": \"1\"}, {\"name\": \"\\u00e9\", \"version\": 3}]",
                RegistryRules.withModelVersion("[{\"name\": \"m\", \"version\": \"1\"}]", "\u00e9", 3));
        assertEquals("[{\"name\": \"m\", \"version\": 1}]", RegistryRules.withModelVersion("[]", "m", 1));
    }

    @Test
    void aliasesFollowMlflowsRules() {
        assertEquals("champion-2_b", RegistryRules.newAlias("champion-2_b"));
        assertEquals("V12", RegistryRules.alias("V12"));
        assertEquals("Version alias name 'V12' is reserved.",
                assertThrows(MlflowException.class, () -> RegistryRules.newAlias("V12")).getMessage());
        assertEquals("'latest' alias name (case insensitive) is reserved.",
                assertThrows(MlflowException.class, () -> RegistryRules.newAlias("LATEST")).getMessage());
        assertEquals("Registered model alias name cannot be empty.",
                assertThrows(MlflowException.class, () -> RegistryRules.alias("")).getMessage());
    }
}
