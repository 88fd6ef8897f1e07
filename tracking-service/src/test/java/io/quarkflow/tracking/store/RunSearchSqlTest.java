package io.quarkflow.tracking.store;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.RunSearchRules;
import io.quarkflow.tracking.domain.ViewType;
import io.quarkflow.tracking.store.RunSearchSql.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL runs/search sends, without a database: its shape, its bind parameters and its page-token keys. */
class RunSearchSqlTest {

    private static final Long[] ONE_EXPERIMENT = {7L};

    @Test
    void withoutOrderRunsComeNewestFirstThenByIdInOneSegment() {
        List<Segment> segments = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, List.of(), null);
        assertEquals(1, segments.size());
        Segment only = segments.get(0);
        assertTrue(only.sql().endsWith("order by r.start_time desc, r.run_uuid asc limit 11"), only.sql());
        assertTrue(only.sql().contains("r.experiment_id = $1"), only.sql());
        assertTrue(only.sql().contains("r.lifecycle_stage = $2"), only.sql());
        assertEquals(List.of(7L, "active"), only.args());
    }

    @Test
    void severalExperimentsAndStagesAreBoundAsArrays() {
        Segment segment = build(new Long[] {1L, 2L}, ViewType.ALL, null, List.of(), null).get(0);
        assertTrue(segment.sql().contains("r.experiment_id = any($1)"), segment.sql());
        assertTrue(segment.sql().contains("r.lifecycle_stage = any($2)"), segment.sql());
        assertEquals(2, ((Long[]) segment.args().get(0)).length);
        assertEquals(2, ((String[]) segment.args().get(1)).length);
    }

    @Test
    void filterValuesTravelOnlyAsBindParameters() {
        String hostile = "x'; drop table runs; --";
        Segment segment = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY,
                "params.model = \"" + hostile + "\" and metrics.rmse < 0.5 and tags.team LIKE 'vis%'", List.of(), null)
                .get(0);
        assertFalse(segment.sql().contains("drop table"), segment.sql());
        assertTrue(segment.args().contains(hostile), segment.args().toString());
        assertTrue(segment.args().contains("vis%"), segment.args().toString());
        assertTrue(segment.args().contains(0.5), segment.args().toString());
        assertTrue(segment.sql().contains("exists (select 1 from params p"), segment.sql());
        assertTrue(segment.sql().contains("exists (select 1 from latest_metrics m"), segment.sql());
        assertTrue(segment.sql().contains("not m.is_nan"), segment.sql());
    }

    @Test
    void orderingByAMetricWalksThreeRanksPresentNanMissing() {
        List<Segment> segments = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, List.of("metrics.rmse ASC"), null);
        assertEquals(3, segments.size());
        assertTrue(segments.get(0).sql().contains("not o0.is_nan"), segments.get(0).sql());
        assertTrue(segments.get(0).sql().contains("order by o0.value asc"), segments.get(0).sql());
        assertTrue(segments.get(1).sql().contains(" o0.is_nan"), segments.get(1).sql());
        assertTrue(segments.get(2).sql().contains("not exists (select 1 from latest_metrics o0"), segments.get(2).sql());
    }

    @Test
    void orderingByAParamHasNoNanRank() {
        assertEquals(2, build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, List.of("params.lr DESC"), null).size());
    }

    @Test
    void paramAndTagValuesAreFoundByTheirIndexedPrefixAndCheckedWhole() {
        Segment segment = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, "params.model = 'cnn' and tags.team LIKE 'vis%'",
                List.of(), null).get(0);
        assertTrue(segment.sql().contains("left(p.value, 256) collate \"C\" = left($5, 256) and p.value collate \"C\" = $5"),
                segment.sql());
        assertTrue(segment.sql().contains("left(p.value, 256) collate \"C\" >= $8 and left(p.value, 256) collate \"C\" < $9 "
                + "and p.value collate \"C\" like $10"), segment.sql());
        assertEquals(List.of("model", "cnn", 7L, "team", "vis", "vit", "vis%"), segment.args().subList(3, 10));
    }

    @Test
    void orderingByAParamWalksItsIndexedPrefixThenTheWholeValue() {
        List<String> orderBy = List.of("params.lr DESC");
        String first = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, orderBy, null).get(0).sql();
        assertTrue(first.contains("order by left(o0.value, 256) collate \"C\" desc, o0.value collate \"C\" desc, "
                + "r.start_time desc, r.run_uuid asc"), first);

        List<SortKey> keys = RunSearchSql.tokenKeys(RunSearchRules.orderBy(orderBy));
        assertEquals(4, keys.size(), "the token carries the value, not its prefix");
        List<Object> inPresentRank = SortKey.typed(keys, List.of("0", "0.01", "1700000000000", "abc"));
        Segment resumed = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, orderBy, inPresentRank).get(0);
        assertTrue(resumed.sql().contains("left(o0.value, 256) collate \"C\" <= left($"), resumed.sql());
        String missing = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, orderBy, null).get(1).sql();
        assertFalse(missing.contains("left(o0.value"), missing);
    }

    @Test
    void tokenKeysEndWithStartTimeAndRunIdSoTheOrderIsTotal() {
        List<SortKey> attribute = RunSearchSql.tokenKeys(RunSearchRules.orderBy(List.of("attributes.run_name")));
        assertEquals(List.of("r.name", "r.start_time", "r.run_uuid"),
                attribute.stream().map(SortKey::expression).toList());
        List<SortKey> metric = RunSearchSql.tokenKeys(RunSearchRules.orderBy(List.of("metrics.rmse DESC")));
        assertEquals(List.of("int", "float8", "int8", "text"), metric.stream().map(SortKey::cast).toList());
        assertFalse(metric.get(1).ascending());
        List<SortKey> byStart = RunSearchSql.tokenKeys(RunSearchRules.orderBy(List.of("attributes.start_time ASC")));
        assertEquals(2, byStart.size(), "start_time is not added twice");
    }

    @Test
    void aTokenResumesAfterTheLastRowAndSkipsFinishedRanks() {
        List<String> orderBy = List.of("metrics.rmse ASC");
        List<SortKey> keys = RunSearchSql.tokenKeys(RunSearchRules.orderBy(orderBy));
        List<Object> inNanRank = SortKey.typed(keys, List.of("1", "0.0", "1700000000000", "abc"));
        List<Segment> segments = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, null, orderBy, inNanRank);
        assertEquals(2, segments.size(), "the present-value rank is done");
        String resumed = segments.get(0).sql();
        assertTrue(resumed.contains("r.start_time < $"), resumed);
        assertTrue(resumed.contains("r.run_uuid > $"), resumed);
        assertTrue(segments.get(0).args().contains("abc"));
        assertFalse(segments.get(1).sql().contains("r.run_uuid > $"), "later ranks start at their beginning");
    }

    @Test
    void tokenValuesAreTypedByTheirKeysCast() {
        List<SortKey> keys = RunSearchSql.tokenKeys(RunSearchRules.orderBy(List.of("metrics.m")));
        assertEquals(List.of(0, 2.5, 12L, "id"), SortKey.typed(keys, List.of("0", "2.5", "12", "id")));
        assertNull(SortKey.typed(keys, null));
        assertThrows(MlflowException.class, () -> SortKey.typed(keys, List.of("zero", "2.5", "12", "id")));
    }

    @Test
    void datasetContextIsMatchedThroughItsInputTag() {
        Segment segment = build(ONE_EXPERIMENT, ViewType.ACTIVE_ONLY, "datasets.context = 'train'", List.of(), null)
                .get(0);
        assertTrue(segment.sql().contains("from run_input_tags t"), segment.sql());
        assertTrue(segment.args().contains("train"));
    }

    private static List<Segment> build(Long[] experiments, ViewType view, String filter, List<String> orderBy,
                                       List<Object> after) {
        return RunSearchSql.build(experiments, view, RunSearchRules.filter(filter), RunSearchRules.orderBy(orderBy),
                after, 11);
    }
}
