package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.LoggedModelSearchRules;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Dataset;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.OrderBy;
import io.quarkflow.tracking.store.LoggedModelSearchSql.Query;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL logged-models/search sends, without a database: its shape, its bind parameters and its page-token keys. */
class LoggedModelSearchSqlTest {

    private static final Long[] ONE_EXPERIMENT = {7L};

    @Test
    void withoutOrderModelsComeNewestFirstThenById() {
        Query query = build(ONE_EXPERIMENT, null, List.of(), List.of(), null);
        assertTrue(query.sql().contains("lm.experiment_id = $1 and lm.lifecycle_stage = 'active'"), query.sql());
        assertTrue(query.sql().endsWith("order by lm.creation_timestamp_ms desc, lm.model_id asc limit 51"), query.sql());
        assertEquals(List.of(7L), query.args());
        assertEquals(2, query.keyCount());
    }

    @Test
    void severalExperimentsAreBoundAsAnArray() {
        Query query = build(new Long[] {1L, 2L}, null, List.of(), List.of(), null);
        assertTrue(query.sql().contains("lm.experiment_id = any($1)"), query.sql());
        assertArrayEquals(new Long[] {1L, 2L}, (Long[]) query.args().get(0));
    }

    @Test
    void filterValuesTravelOnlyAsBindParameters() {
        String hostile = "x'; drop table logged_models; --";
        Query query = build(ONE_EXPERIMENT, "params.p = '" + hostile.replace("'", "''") + "' and metrics.acc > 0.5 "
                + "and tags.`t` LIKE 'a%' and attributes.model_id IN ('m-1', 'm-2') and status = 'LOGGED_MODEL_READY'",
                List.of(), List.of(), null);
        assertFalse(query.sql().contains("drop table"), query.sql());
        assertTrue(query.args().contains(hostile), query.args().toString());
        assertTrue(query.sql().contains("exists (select 1 from logged_model_params p where p.model_id = lm.model_id"),
                query.sql());
        assertTrue(query.sql().contains("exists (select 1 from logged_model_tags p"), query.sql());
        assertTrue(query.sql().contains("not x.is_nan and x.value > $"), query.sql());
        assertTrue(query.sql().contains("lm.model_id = any($"), query.sql());
        assertTrue(query.sql().contains("lm.status = $"), query.sql());
        assertTrue(query.args().contains(2), "the status as its number: " + query.args());
    }

    @Test
    void datasetsRestrictMetricFiltersOrAloneRequireAMetricOnOne() {
        List<Dataset> datasets = List.of(new Dataset("train", null), new Dataset("eval", "d1"));
        Query withMetric = build(ONE_EXPERIMENT, "metrics.acc > 0.5", datasets, List.of(), null);
        assertTrue(withMetric.sql().contains("(x.dataset_name = $4 or (x.dataset_name = $5 and x.dataset_digest = $6))"),
                withMetric.sql());
        assertEquals(1, count(withMetric.sql(), "logged_model_metrics"), withMetric.sql());

        Query alone = build(ONE_EXPERIMENT, null, datasets, List.of(), null);
        assertEquals(1, count(alone.sql(), "exists (select 1 from logged_model_metrics x"), alone.sql());
        assertTrue(alone.args().containsAll(List.of("train", "eval", "d1")), alone.args().toString());
    }

    @Test
    void orderingByAMetricReadsEachModelsLatestPointMissingLast() {
        Query query = build(ONE_EXPERIMENT, null, List.of(),
                List.of(new OrderBy("metrics.acc", false, "eval", null)), null);
        assertTrue(query.sql().contains("left join lateral (select x.value, x.is_nan from logged_model_metrics x where "
                + "x.model_id = lm.model_id and x.key = $2 and x.dataset_name = $3 order by x.ts desc, x.step desc"),
                query.sql());
        assertTrue(query.sql().contains("order by (case when o1.value is null then 2 when o1.is_nan then 1 else 0 end) "
                + "asc, coalesce(o1.value, 0) desc, lm.creation_timestamp_ms desc, lm.model_id asc"), query.sql());
    }

    @Test
    void tokenKeysEndWithCreationTimeAndModelIdSoTheOrderIsTotal() {
        assertEquals(List.of("lm.name collate \"C\"", "lm.creation_timestamp_ms", "lm.model_id"), expressions(
                LoggedModelSearchSql.tokenKeys(LoggedModelSearchRules.orderBy(List.of(new OrderBy("name", true, null, null))))));
        List<SortKey> byCreation = LoggedModelSearchSql.tokenKeys(LoggedModelSearchRules.orderBy(
                List.of(new OrderBy("creation_time", true, null, null))));
        assertEquals(List.of("lm.creation_timestamp_ms", "lm.model_id"), expressions(byCreation));
        assertTrue(byCreation.get(0).ascending());
        assertEquals(List.of("int", "float8", "int8", "text"), LoggedModelSearchSql.tokenKeys(LoggedModelSearchRules
                .orderBy(List.of(new OrderBy("metrics.m", true, null, null)))).stream().map(SortKey::cast).toList());
    }

    @Test
    void aPageStartsStrictlyAfterTheTokensKeys() {
        Query query = build(ONE_EXPERIMENT, null, List.of(), List.of(), List.of(100L, "m-5"));
        assertTrue(query.sql().contains("lm.creation_timestamp_ms <= $2::int8 and ((lm.creation_timestamp_ms < $3::int8) "
                + "or (lm.creation_timestamp_ms = $3::int8 and lm.model_id > $4::text))"), query.sql());
        assertEquals(List.of(7L, 100L, 100L, "m-5"), query.args());
    }

    private static Query build(Long[] experiments, String filter, List<Dataset> datasets, List<OrderBy> orderBy,
                               List<Object> after) {
        return LoggedModelSearchSql.build(experiments, LoggedModelSearchRules.filter(filter), datasets,
                LoggedModelSearchRules.orderBy(orderBy), after, 51);
    }

    private static List<String> expressions(List<SortKey> keys) {
        return keys.stream().map(SortKey::expression).toList();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
