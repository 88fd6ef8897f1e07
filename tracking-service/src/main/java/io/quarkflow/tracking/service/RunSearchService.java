package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.MaxResults;
import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunSearchRules;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.SearchFilter.OrderBy;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.domain.ViewType;
import io.quarkflow.tracking.store.CancellableReads;
import io.quarkflow.tracking.store.RunRepository.SearchRow;
import io.quarkflow.tracking.store.RunRepository;
import io.quarkflow.tracking.store.RunSearchSql;
import io.quarkflow.tracking.store.SortKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** runs/search: MLflow's filter language and ordering, answered by PostgreSQL indexes, paged by keyset. */
@ApplicationScoped
public class RunSearchService {

    private final CancellableReads reads;
    private final RunRepository runs;
    private final RunReader reader;

    public RunSearchService(CancellableReads reads, RunRepository runs, RunReader reader) {
        this.reads = reads;
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
        List<SortKey> keys = RunSearchSql.tokenKeys(ordering);
        KeysetPaging paging = KeysetPaging.of(keys, max, ids, filter, viewType, ordering);
        List<RunSearchSql.Segment> segments = RunSearchSql.build(ids, viewType, comparisons, ordering,
                paging.after(pageToken), paging.rowsToFetch());
        return reads.run(conn -> runs.search(conn, segments, keys.size(), paging.rowsToFetch())
                .chain(rows -> reader.withData(conn, paging.page(rows).stream().map(SearchRow::info).toList())
                        .map(found -> new Page<>(found, paging.nextToken(rows, SearchRow::sortKeys)))));
    }
}
