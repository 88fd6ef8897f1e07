package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;
import io.quarkflow.tracking.domain.SearchFilter.OrderBy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSearchRulesTest {

    @Test
    void canonicalisesAttributeAliases() {
        assertEquals(List.of(new Comparison(EntityType.ATTRIBUTE, "start_time", ">", 5.0),
                        new Comparison(EntityType.ATTRIBUTE, "run_name", "=", "x")),
                RunSearchRules.filter("created > 5 and \"Run name\" = 'x'"));
        assertEquals(List.of(new OrderBy(EntityType.ATTRIBUTE, "start_time", false)),
                RunSearchRules.orderBy(List.of("attributes.created DESC")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.a = 1", "metrics.a != 1", "metrics.a > 1", "metrics.a >= 1", "metrics.a < 1",
        "metrics.a <= 1", "params.a = 'x'", "params.a != 'x'", "params.a LIKE 'x%'", "params.a ILIKE 'x%'",
        "tags.a = 'x'", "tags.a != 'x'", "tags.a LIKE 'x'", "tags.a ILIKE 'x'", "run_id IN ('a')",
        "run_id NOT IN ('a', 'b')", "status LIKE 'RUN%'", "user_id != 'me'", "artifact_uri ILIKE 's3://%'",
        "end_time <= 9", "datasets.name IN ('a')", "datasets.digest LIKE 'ab%'", "datasets.context != 'eval'"})
    void acceptsWhatMlflowAllows(String filter) {
        assertEquals(1, RunSearchRules.filter(filter).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.a LIKE '1'", "metrics.a = 'x'", "params.a > 'x'", "params.a = 1",
        "tags.a IN ('x')", "tags.a < 'x'", "status > 'a'", "start_time LIKE '1%'", "start_time = 'x'",
        "run_name IN ('a')", "lifecycle_stage = 'active'", "datasets.size = 'x'", "datasets.name > 'a'",
        "datasets.name = 5"})
    void refusesWhatMlflowRefuses(String filter) {
        MlflowException e = assertThrows(MlflowException.class, () -> RunSearchRules.filter(filter));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
    }

    @Test
    void parsesOrderByClauses() {
        assertEquals(List.of(new OrderBy(EntityType.METRIC, "rmse", false),
                        new OrderBy(EntityType.PARAM, "a b", true),
                        new OrderBy(EntityType.TAG, "mlflow.runName", true)),
                RunSearchRules.orderBy(List.of("metrics.rmse DESC", "params.`a b` asc", "tags.mlflow.runName")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "metrics.rmse DOWN", "metrics.rmse DESC extra", "datasets.name", "attributes.bogus",
        "nope.x"})
    void refusesMalformedOrderBy(String clause) {
        MlflowException e = assertThrows(MlflowException.class, () -> RunSearchRules.orderBy(List.of(clause)));
        assertTrue(!e.getMessage().isBlank());
    }
}
