package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"loss", "train/loss", "a.b-c_d e:f", "épsilon", "x..y", "a/b/c"})
    void acceptsMlflowKeys(String key) {
        assertDoesNotThrow(() -> TrackingRules.validateKey(key, "key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "/lead", "a//b", "a/./b", "a/../b", "trail/", "a*b", "a;b", "a\\b",
        "a\u0000b", "a%2e"})
    void refusesKeysThatAreNotMlflowKeys(String key) {
        MlflowException e = assertThrows(MlflowException.class, () -> TrackingRules.validateKey(key, "key"));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
    }

    @Test
    void refusesKeysLongerThan250() {
        TrackingRules.validateKey("k".repeat(250), "key");
        MlflowException e = assertThrows(MlflowException.class, () -> TrackingRules.validateKey("k".repeat(251), "key"));
        assertTrue(e.getMessage().contains("250"), e.getMessage());
    }

    @Test
    void lengthsAreCountedInCharactersAsPythonCountsThem() {
        String wide = new String(Character.toChars(0x20000));
        TrackingRules.validateKey(wide.repeat(250), "key");
        assertThrows(MlflowException.class, () -> TrackingRules.validateKey(wide.repeat(251), "key"));
        assertEquals(wide.repeat(6000), TrackingRules.validateParam(new Param("p", wide.repeat(6000)), "").value());
        assertEquals("\uD83D\uDE00" + wide.repeat(5999), TrackingRules.validateParam(
                new Param("p", "\uD83D\uDE00" + wide.repeat(6000)), "").value(), "cut between characters, never inside one");
        assertEquals(wide.repeat(8000), TrackingRules.validateTag(new RunTag("t", wide.repeat(8001)), "").value());
    }

    @Test
    void tooLongKeysGetMlflowsMessages() {
        String key = "k".repeat(251);
        assertEquals("'Param key' exceeds the maximum length of 250 characters", assertThrows(MlflowException.class,
                () -> TrackingRules.validateParam(new Param(key, "v"), "params[0].")).getMessage());
        assertEquals("'Metric name' exceeds the maximum length of 250 characters", assertThrows(MlflowException.class,
                () -> TrackingRules.validateMetric(new Metric(key, 1.0, 1L, 0L), "")).getMessage());
        assertEquals("'tags[0].key' exceeds the maximum length of 250 characters", assertThrows(MlflowException.class,
                () -> TrackingRules.validateTag(new RunTag(key, "v"), "tags[0].")).getMessage());
    }

    @Test
    void normpathMatchesPython() {
        assertEquals(".", TrackingRules.normpath(""));
        assertEquals("a/b", TrackingRules.normpath("a//b"));
        assertEquals("//a", TrackingRules.normpath("//a"));
        assertEquals("/a", TrackingRules.normpath("///a"));
        assertEquals("../a", TrackingRules.normpath("../a"));
        assertEquals("/a", TrackingRules.normpath("/../a"));
        assertEquals("b", TrackingRules.normpath("a/../b"));
        assertEquals("a", TrackingRules.normpath("a/"));
    }

    @Test
    void truncatesLongParamAndTagValues() {
        assertEquals(6000, TrackingRules.validateParam(new Param("p", "v".repeat(7000)), "").value().length());
        assertEquals(8000, TrackingRules.validateTag(new RunTag("t", "v".repeat(9000)), "").value().length());
        assertEquals("", TrackingRules.validateTag(new RunTag("t", null), "").value());
    }

    @Test
    void experimentTagValuesAreLimitedNotTruncated() {
        assertThrows(MlflowException.class,
                () -> TrackingRules.validateExperimentTag(new ExperimentTag("k", "v".repeat(5001))));
    }

    @Test
    void metricsNeedValueAndNonNegativeTimestampAndDefaultStepZero() {
        assertEquals(0L, TrackingRules.validateMetric(new Metric("m", 1.0, 5L, null), "").step());
        MlflowException noValue = assertThrows(MlflowException.class,
                () -> TrackingRules.validateMetric(new Metric("m", null, 5L, 0L), "metrics[2]."));
        assertTrue(noValue.getMessage().contains("metrics[2].value"), noValue.getMessage());
        assertThrows(MlflowException.class, () -> TrackingRules.validateMetric(new Metric("m", 1.0, null, 0L), ""));
        assertThrows(MlflowException.class, () -> TrackingRules.validateMetric(new Metric("m", 1.0, -1L, 0L), ""));
    }

    @Test
    void storesNanAsZeroAndClampsInfinity() {
        assertEquals(0.0, TrackingRules.storedValue(Double.NaN));
        assertEquals(Double.MAX_VALUE, TrackingRules.storedValue(Double.POSITIVE_INFINITY));
        assertEquals(-Double.MAX_VALUE, TrackingRules.storedValue(Double.NEGATIVE_INFINITY));
        assertEquals(-2.5, TrackingRules.storedValue(-2.5));
    }

    @Test
    void batchLimitsAreMlflows() {
        TrackingRules.validateBatchLimits(1000, 0, 0);
        TrackingRules.validateBatchLimits(800, 100, 100);
        assertThrows(MlflowException.class, () -> TrackingRules.validateBatchLimits(1001, 0, 0));
        assertThrows(MlflowException.class, () -> TrackingRules.validateBatchLimits(0, 101, 0));
        assertThrows(MlflowException.class, () -> TrackingRules.validateBatchLimits(0, 0, 101));
        assertThrows(MlflowException.class, () -> TrackingRules.validateBatchLimits(900, 100, 1));
    }

    @Test
    void duplicateParamKeysInOneBatchAreRefused() {
        MlflowException e = assertThrows(MlflowException.class, () -> TrackingRules.requireUniqueParamKeys(
                java.util.List.of(new Param("a", "1"), new Param("b", "2"), new Param("a", "1"))));
        assertTrue(e.getMessage().contains("['a']"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket/path", "file:///tmp/mlruns", "mlflow-artifacts:/x", "/abs/dir", "gs://b/p?x=1"})
    void acceptsArtifactLocations(String location) {
        assertDoesNotThrow(() -> TrackingRules.validateArtifactLocation(location));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://b/p#frag", "s3://b/p;params", "s3://b/../etc", "file:///tmp/../../etc", "runs:/abc/x",
        "http://h/p?q=../x", "s3://b/%2e%2e/x"})
    void refusesArtifactLocationsThatEscapeOrSmuggle(String location) {
        assertThrows(MlflowException.class, () -> TrackingRules.validateArtifactLocation(location));
    }

    @Test
    void experimentIdsHaveMlflowsShape() {
        TrackingRules.validateExperimentId("0", "experiment_id");
        TrackingRules.validateExperimentId("123", "experiment_id");
        assertThrows(MlflowException.class, () -> TrackingRules.validateExperimentId("../1", "experiment_id"));
        assertThrows(MlflowException.class, () -> TrackingRules.validateExperimentId("", "experiment_id"));
        assertThrows(MlflowException.class, () -> TrackingRules.validateExperimentId("x".repeat(65), "experiment_id"));
    }
}
