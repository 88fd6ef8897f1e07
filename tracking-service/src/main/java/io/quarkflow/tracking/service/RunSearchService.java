package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.MaxResults;
import io.quarkflow.tracking.domain.PageToken;
import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunSearchRules;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.OrderBy;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.domain.ViewType;
import io.quarkflow.tracking.store.RunRepository.SearchRow;
import io.quarkflow.tracking.store.RunRepository;
import io.quarkflow.tracking.store.RunSearchSql;
import io.quarkflow.tracking.store.SortKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** runs/search: MLflow's filter language and ordering, answered by PostgreSQL indexes, paged by keyset. */
@ApplicationScoped
public class RunSearchService {

    private final Pool pool;
    private final RunRepository runs;
    private final RunReader reader;

    public RunSearchService(Pool pool, RunRepository runs, RunReader reader) {
        this.pool = pool;
        this.runs = runs;
        this.reader = reader;
    }

    public Uni<Page<Run>> search(List<String> experimentIds, String filter, String runViewType, Long maxResults,
                                 List<String> orderBy, String pageToken) {
        int max = MaxResults.forRunSearch(maxResults);
        ViewType viewType = ViewType.parse(runViewType, "run_view_type");
        List<Comparison> comparisons = RunSearchRules.filter(filter);
        List<OrderBy> ordering = RunSearchRules.orderBy(orderBy);
        Long[] ids = TrackingRules.searchedExperiments(experimentIds);
        // Built from strings only, so every replica computes the same fingerprint for the same search.
        String fingerprint = Integer.toHexString((List.of(ids) + "|" + filter + "|" + viewType + "|" + ordering).hashCode());
        List<SortKey> keys = RunSearchSql.tokenKeys(ordering);
        List<Object> after = SortKey.typed(keys, PageToken.decodeKeys(pageToken, fingerprint, keys.size()));
        List<RunSearchSql.Segment> segments = RunSearchSql.build(ids, viewType, comparisons, ordering, after, max + 1);
        return runs.search(pool, segments, keys.size(), max + 1)
                .chain(rows -> {
                    List<SearchRow> page = rows.size() > max ? rows.subList(0, max) : rows;
                    String next = rows.size() > max ? PageToken.encodeKeys(fingerprint,
                            page.get(max - 1).sortKeys().stream().map(String::valueOf).toList()) : null;
                    return reader.withData(pool, page.stream().map(SearchRow::info).toList())
                            .map(found -> new Page<>(found, next));
                });
    }
}
