package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.store.SortKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeysetPagingTest {

    private static final List<SortKey> KEYS = List.of(new SortKey("r.start_time", false, "int8"),
            new SortKey("r.run_uuid", true, "text"));

    record Row(String id, List<Object> sortKeys) {
    }

    @Test
    void aPageEndsWithATokenOnlyWhenARowMoreWasFound() {
        KeysetPaging paging = KeysetPaging.of(KEYS, 2, new Long[] {7L}, "metrics.m > 1");
        List<Row> full = List.of(row("a", 30), row("b", 20), row("c", 10));
        assertEquals(3, paging.rowsToFetch());
        assertEquals(List.of("a", "b"), paging.page(full).stream().map(Row::id).toList());
        String token = paging.nextToken(full, Row::sortKeys);
        assertEquals(List.of(20L, "b"), paging.after(token), "resumes after the page's last row, typed for binding");
        assertNull(paging.nextToken(full.subList(0, 2), Row::sortKeys), "no row beyond the page: the last page");
        assertNull(paging.after(null));
    }

    @Test
    void aTokenIsRefusedByAnotherSearch() {
        KeysetPaging issuer = KeysetPaging.of(KEYS, 2, new Long[] {7L}, "metrics.m > 1");
        String token = issuer.nextToken(List.of(row("a", 3), row("b", 2), row("c", 1)), Row::sortKeys);
        assertEquals(issuer.after(token), KeysetPaging.of(KEYS, 5, new Long[] {7L}, "metrics.m > 1").after(token),
                "the page size is not part of the search");
        assertThrows(MlflowException.class, () -> KeysetPaging.of(KEYS, 2, new Long[] {8L}, "metrics.m > 1").after(token));
        assertThrows(MlflowException.class, () -> KeysetPaging.of(KEYS, 2, new Long[] {7L}, "metrics.m > 2").after(token));
    }

    private static Row row(String id, long startTime) {
        return new Row(id, List.of(startTime, id));
    }
}
