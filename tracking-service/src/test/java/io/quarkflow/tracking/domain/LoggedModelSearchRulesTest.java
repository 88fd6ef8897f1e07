package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Dataset;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Order;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.OrderBy;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * logged-models/search's grammar (mlflow/utils/search_logged_model_utils.py). Messages quoted from MLflow were
 * checked against MLflow 3.3's own server.
 */
class LoggedModelSearchRulesTest {

    @Test
    void whatTheClientAndTheUiSendParses() {
        // runs:/<run>/<name> resolution and registration
        assertEquals(List.of(new Comparison(EntityType.ATTRIBUTE, "name", "=", "model")),
                LoggedModelSearchRules.filter("name = 'model'"));
        // the UI's run page
        assertEquals(List.of(new Comparison(EntityType.ATTRIBUTE, "model_id", "IN", List.of("m-1", "m-2"))),
                LoggedModelSearchRules.filter("attributes.model_id IN ('m-1', 'm-2')"));
        assertEquals(List.of(), LoggedModelSearchRules.filter(null));
        assertEquals(List.of(), LoggedModelSearchRules.filter(""));
    }

    @Test
    void metricsParamsAndTagsJoinedByAnd() {
        assertEquals(List.of(
                        new Comparison(EntityType.METRIC, "accuracy", ">", 0.9),
                        new Comparison(EntityType.PARAM, "alpha", "=", "0.1"),
                        new Comparison(EntityType.TAG, "team", "LIKE", "ml%"),
                        new Comparison(EntityType.METRIC, "log loss", "<=", 2.0)),
                LoggedModelSearchRules.filter(
                        "metrics.accuracy > 0.9 AND params.alpha = '0.1' and tags.team LIKE 'ml%' AND metrics.`log loss` <= 2"));
    }

    @Test
    void timestampAliasesAreTheMsColumns() {
        for (String alias : List.of("creation_time", "creation_timestamp", "attributes.creation_timestamp_ms")) {
            assertEquals(new Comparison(EntityType.ATTRIBUTE, "creation_timestamp_ms", ">=", 5.0),
                    LoggedModelSearchRules.filter(alias + " >= 5").get(0));
        }
        assertEquals("last_updated_timestamp_ms",
                LoggedModelSearchRules.filter("last_updated_timestamp < 5").get(0).key());
    }

    @Test
    void statusByNameOrNumberBecomesItsNumber() {
        // MLflow compares the stored number: 'status = 2' matches there, a name matches nothing; both match here.
        assertEquals(2, LoggedModelSearchRules.filter("status = 'LOGGED_MODEL_READY'").get(0).value());
        assertEquals(2, LoggedModelSearchRules.filter("status = 2").get(0).value());
        assertEquals(2, LoggedModelSearchRules.filter("status = '2'").get(0).value());
        assertEquals(List.of(1, 3), LoggedModelSearchRules.filter(
                "status IN ('LOGGED_MODEL_PENDING', 'LOGGED_MODEL_UPLOAD_FAILED')").get(0).value());
        assertInvalid("Unknown model status: READYISH", "status = 'READYISH'");
        assertInvalid("Unknown model status: 7", "status = 7");
        assertInvalid("Invalid comparison operator for attributes.status: 'LIKE'. Expected one of "
                + "('=', '!=', 'IN', 'NOT IN').", "status LIKE 'LOGGED%'");
    }

    @Test
    void stringComparatorsAsMlflowWordsThem() {
        assertInvalid("Invalid comparison operator for attributes.name: '>'. Expected one of "
                + "('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').", "name > 'model'");
        assertInvalid("Invalid comparison operator for params.alpha: '<'. Expected one of "
                + "('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').", "params.alpha < '1'");
        assertEquals("NOT IN", LoggedModelSearchRules.filter("tags.t NOT IN ('a')").get(0).comparator());
        assertEquals("ILIKE", LoggedModelSearchRules.filter("name ILIKE 'MOD%'").get(0).comparator());
    }

    @Test
    void metricComparatorsAreNumeric() {
        // MLflow's message lists the string comparators here too; this one names those that apply.
        assertInvalid("Invalid comparison operator for metrics.acc: 'LIKE'. Expected one of "
                + "('<', '<=', '>', '>=', '=', '!=').", "metrics.acc LIKE 'x'");
        assertInvalid("Invalid comparison operator for attributes.creation_timestamp_ms: 'IN'. Expected one of "
                + "('<', '<=', '>', '>=', '=', '!=').", "creation_time IN ('1')");
    }

    @Test
    void onlyTheFourPrefixesOfModelSearch() {
        assertInvalid("Invalid entity type: 'metric'. Expected one of ['attributes', 'metrics', 'params', 'tags'].",
                "metric.acc > 0");
        assertInvalid("Invalid entity type: 'datasets'. Expected one of ['attributes', 'metrics', 'params', 'tags'].",
                "datasets.name = 'x'");
    }

    /** MLflow's server answers these with a 500 (a Python error), or matches nothing; here they are 400s. */
    @ParameterizedTest
    @ValueSource(strings = {"foo = 'x'", "lifecycle_stage = 'deleted'", "metrics.acc > 'abc'", "name = 1",
        "name IN 'x'", "params.a = ('x')", "creation_time > '5'", "status IN 'LOGGED_MODEL_READY'", "status = ('1')"})
    void wrongKeysAndValueTypesAreInvalid(String filter) {
        assertThrows(MlflowException.class, () -> LoggedModelSearchRules.filter(filter));
    }

    /** MLflow: "Expected a list of comparisons separated by 'AND'"; the message here says where parsing stopped. */
    @ParameterizedTest
    @ValueSource(strings = {"name = 'model' OR name = 'x'", "(name = 'model')", "name", "name = ", "name = 'x' AND",
        "name = 'unterminated"})
    void onlyComparisonsJoinedByAnd(String filter) {
        MlflowException e = assertThrows(MlflowException.class, () -> LoggedModelSearchRules.filter(filter));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
    }

    @Test
    void orderByAttributesWithAliasesOrMetricsWithTheirDataset() {
        assertEquals(List.of(
                        new Order(EntityType.ATTRIBUTE, "creation_timestamp_ms", false, null, null),
                        new Order(EntityType.ATTRIBUTE, "name", true, null, null),
                        new Order(EntityType.METRIC, "acc", true, "eval", "d1"),
                        new Order(EntityType.METRIC, "loss", false, null, null)),
                LoggedModelSearchRules.orderBy(List.of(new OrderBy("creation_time", false, null, null),
                        new OrderBy("name", null, "", ""), new OrderBy("metrics.acc", true, "eval", "d1"),
                        new OrderBy("metrics.loss", false, null, null))));
        assertEquals(List.of(), LoggedModelSearchRules.orderBy(null));
    }

    @Test
    void orderByErrorsAreMlflows() {
        assertOrderInvalid("Invalid order by field name: foo", "foo");
        assertOrderInvalid("Invalid order by field name: ", null);
        assertOrderInvalid("Invalid order by field name: params.a. Only metrics are supported.", "params.a");
        assertOrderInvalid("Invalid order by field name: attributes.name. Only metrics are supported.", "attributes.name");
    }

    @Test
    void datasetsNeedANameAndTakeAnyDigestWhenNoneIsGiven() {
        assertEquals(List.of(new Dataset("train", null), new Dataset("eval", "abc")),
                LoggedModelSearchRules.datasets(List.of(new Dataset("train", ""), new Dataset("eval", "abc"))));
        MlflowException e = assertThrows(MlflowException.class,
                () -> LoggedModelSearchRules.datasets(List.of(new Dataset(null, "abc"))));
        assertEquals("`dataset_name` in the `datasets` clause must be specified.", e.getMessage());
    }

    @Test
    void maxResultsDefaultsAsMlflowsServer() {
        assertEquals(50, LoggedModelSearchRules.maxResults(null), "the proto default");
        assertEquals(100, LoggedModelSearchRules.maxResults(0L), "0 falls to the store's default");
        assertEquals(7, LoggedModelSearchRules.maxResults(7L));
        assertThrows(MlflowException.class, () -> LoggedModelSearchRules.maxResults(-1L));
        assertThrows(MlflowException.class, () -> LoggedModelSearchRules.maxResults(50_001L));
    }

    private static void assertInvalid(String message, String filter) {
        MlflowException e = assertThrows(MlflowException.class, () -> LoggedModelSearchRules.filter(filter));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
        assertEquals(message, e.getMessage());
    }

    private static void assertOrderInvalid(String message, String fieldName) {
        MlflowException e = assertThrows(MlflowException.class,
                () -> LoggedModelSearchRules.orderBy(Arrays.asList(new OrderBy(fieldName, true, null, null))));
        assertEquals(message, e.getMessage());
    }
}
