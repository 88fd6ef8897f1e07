package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** runs/search: MLflow's filter language and ordering, answered by PostgreSQL indexes, paged by keyset. */
@ApplicationScoped
public class RunSearchService {

    private final Pool pool;
    private final RunRepository runs;

    public RunSearchService(Pool pool, RunRepository runs) {
        this.pool = pool;
        this.runs = runs;
    }

    public Uni<Page<Run>> search(List<String> experimentIds, String filter, String runViewType, Long maxResults,
                                 List<String> orderBy, String pageToken) {
        int max = MaxResults.forSearch(maxResults);
        ViewType viewType = ViewType.parse(runViewType, "run_view_type");
        List<Comparison> comparisons = RunSearchRules.filter(filter);
        List<OrderBy> ordering = RunSearchRules.orderBy(orderBy);
        Long[] ids = experimentIds(experimentIds);
        // Built from strings only, so every replica computes the same fingerprint for the same search.
        String fingerprint = Integer.toHexString((List.of(ids) + "|" + filter + "|" + viewType + "|" + ordering).hashCode());
        List<RunSearchSql.SortKey> keys = RunSearchSql.tokenKeys(ordering);
        List<Object> after = RunSearchSql.typed(keys, PageToken.decodeKeys(pageToken, fingerprint, keys.size()));
        List<RunSearchSql.Segment> segments = RunSearchSql.build(ids, viewType, comparisons, ordering, after, max + 1);
        return runs.search(pool, segments, keys.size(), max + 1)
                .chain(rows -> {
                    List<SearchRow> page = rows.size() > max ? rows.subList(0, max) : rows;
                    String next = rows.size() > max ? PageToken.encodeKeys(fingerprint,
                            page.get(max - 1).sortKeys().stream().map(String::valueOf).toList()) : null;
                    return withData(page).map(found -> new Page<>(found, next));
                });
    }

    private Uni<List<Run>> withData(List<SearchRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] ids = rows.stream().map(row -> row.info().runId()).toArray(String[]::new);
        return Uni.combine().all()
                .unis(runs.latestMetricsOf(pool, ids), runs.paramsOf(pool, ids), runs.tagsOf(pool, ids),
                        runs.inputsOf(pool, ids))
                .with((metrics, params, tags, inputs) -> {
                    List<Run> result = new ArrayList<>(rows.size());
                    for (SearchRow row : rows) {
                        String id = row.info().runId();
                        result.add(new Run(row.info(),
                                new Run.Data(metrics.getOrDefault(id, List.of()), params.getOrDefault(id, List.of()),
                                        tags.getOrDefault(id, List.of())),
                                new Run.Inputs(inputs.getOrDefault(id, List.of()))));
                    }
                    return result;
                });
    }

    /** Ids of a valid shape that are not integers cannot name an experiment here; they simply match nothing. */
    private static Long[] experimentIds(List<String> experimentIds) {
        if (experimentIds == null) {
            return new Long[0];
        }
        List<Long> ids = new ArrayList<>();
        for (String id : experimentIds) {
            TrackingRules.validateExperimentId(id, "experiment_ids");
            try {
                ids.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                // matches nothing
            }
        }
        if (ids.size() > MaxResults.SEARCH_MAX) {
            throw MlflowException.invalidParameter("Too many experiment_ids: " + ids.size());
        }
        return ids.toArray(Long[]::new);
    }
}
