package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchFilterTest {

    @Test
    void emptyFilterHasNoComparisons() {
        assertEquals(List.of(), SearchFilter.parse(null));
        assertEquals(List.of(), SearchFilter.parse("   "));
    }

    @Test
    void parsesComparisonsJoinedByAnd() {
        List<Comparison> parsed = SearchFilter.parse(
                "metrics.rmse < 0.5 and params.alpha = '0.1' AND tags.`user name` LIKE 'ann%' and name != \"x\"");
        assertEquals(List.of(
                new Comparison(EntityType.METRIC, "rmse", "<", 0.5),
                new Comparison(EntityType.PARAM, "alpha", "=", "0.1"),
                new Comparison(EntityType.TAG, "user name", "LIKE", "ann%"),
                new Comparison(EntityType.ATTRIBUTE, "name", "!=", "x")), parsed);
    }

    @Test
    void acceptsEveryAliasOfEveryEntityType() {
        assertEquals(EntityType.METRIC, SearchFilter.parse("metric.a > 1").get(0).type());
        assertEquals(EntityType.PARAM, SearchFilter.parse("param.a = '1'").get(0).type());
        assertEquals(EntityType.PARAM, SearchFilter.parse("parameters.a = '1'").get(0).type());
        assertEquals(EntityType.TAG, SearchFilter.parse("tag.a = '1'").get(0).type());
        assertEquals(EntityType.ATTRIBUTE, SearchFilter.parse("attr.status = 'RUNNING'").get(0).type());
        assertEquals(EntityType.ATTRIBUTE, SearchFilter.parse("run.status = 'RUNNING'").get(0).type());
        assertEquals(EntityType.DATASET, SearchFilter.parse("datasets.digest = 'abc'").get(0).type());
    }

    @Test
    void parsesQuotedKeysWithDotsAndSpaces() {
        Comparison c = SearchFilter.parse("tags.\"mlflow.source name\" ILIKE '%x%'").get(0);
        assertEquals("mlflow.source name", c.key());
        assertEquals("ILIKE", c.comparator());
        assertEquals("mlflow.runName", SearchFilter.parse("tags.mlflow.runName = 'r'").get(0).key());
    }

    @Test
    void aFilterHoldsAtMostFiftyClauses() {
        String fifty = String.join(" and ", java.util.Collections.nCopies(50, "params.a = '1'"));
        assertEquals(50, SearchFilter.parse(fifty).size());
        MlflowException refused = assertThrows(MlflowException.class,
                () -> SearchFilter.parse(fifty + " and metrics.m > 1"));
        assertEquals("Invalid filter string: more than 50 clauses joined by AND.", refused.getMessage());
    }

    @Test
    void aLikePatternEndingWithAnEscapeIsRefused() {
        for (String filter : List.of("tags.a LIKE 'x\\'", "params.a ILIKE '\\\\\\'")) {
            MlflowException refused = assertThrows(MlflowException.class, () -> SearchFilter.parse(filter), filter);
            assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, refused.errorCode());
            assertTrue(refused.getMessage().endsWith("it ends with the escape character '\\'"), refused.getMessage());
        }
        assertEquals("x\\\\", SearchFilter.parse("tags.a LIKE 'x\\\\'").get(0).value(), "an escaped backslash");
        assertEquals("x\\", SearchFilter.parse("tags.a = 'x\\'").get(0).value(), "= takes it as it is");
    }

    @Test
    void parsesInAndNotInLists() {
        assertEquals(List.of("a", "b"), SearchFilter.parse("run_id IN ('a', \"b\")").get(0).value());
        Comparison notIn = SearchFilter.parse("attributes.run_id not in ('c')").get(0);
        assertEquals("NOT IN", notIn.comparator());
        assertEquals(List.of("c"), notIn.value());
    }

    @Test
    void parsesNegativeAndScientificNumbers() {
        assertEquals(-1.5e3, SearchFilter.parse("metrics.m >= -1.5e3").get(0).value());
    }

    @Test
    void doubledQuoteEscapesItself() {
        assertEquals("it's", SearchFilter.parse("params.p = 'it''s'").get(0).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.a", "metrics.a >", "metrics.a > 1 OR metrics.b < 2", "foo.a = 'x'",
        "params.a = 'unterminated", "metrics.a > abc", "run_id IN 'a'", "run_id IN ('a'", "params. = 'x'",
        "metrics.a > 1 AND", "a NOT 'x'", "(metrics.a > 1)", "metrics.a > 1; drop table runs"})
    void rejectsMalformedFiltersWithAMessage(String filter) {
        MlflowException e = assertThrows(MlflowException.class, () -> SearchFilter.parse(filter));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.errorCode());
        assertTrue(!e.getMessage().isBlank());
    }
}
