package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.PageToken;
import io.quarkflow.tracking.store.SortKey;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging of a search: a page token carries the last row's sort-key values and a fingerprint of the search,
 * so it resumes exactly after that row and only in the search that issued it. A search fetches one row more than
 * a page to know whether another page follows.
 *
 * @param fingerprint of the search's parameters, built from their text so that every replica computes the same
 */
record KeysetPaging(List<SortKey> keys, int max, String fingerprint) {

    static KeysetPaging of(List<SortKey> keys, int max, Object... searchParameters) {
        return new KeysetPaging(keys, max, Integer.toHexString(Arrays.deepToString(searchParameters).hashCode()));
    }

    /** The sort-key values to resume after, typed for binding; null for the first page. */
    List<Object> after(String pageToken) {
        return SortKey.typed(keys, PageToken.decodeKeys(pageToken, fingerprint, keys.size()));
    }

    int rowsToFetch() {
        return max + 1;
    }

    <T> List<T> page(List<T> rows) {
        return rows.size() > max ? rows.subList(0, max) : rows;
    }

    /** The token for the page after these rows, or null when they were the last. */
    <T> String nextToken(List<T> rows, Function<T, List<Object>> sortKeys) {
        return rows.size() > max
                ? PageToken.encodeKeys(fingerprint, sortKeys.apply(rows.get(max - 1)).stream().map(String::valueOf).toList())
                : null;
    }
}
