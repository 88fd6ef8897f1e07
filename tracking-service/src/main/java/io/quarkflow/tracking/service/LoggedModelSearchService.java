package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.LoggedModel;
import io.quarkflow.tracking.domain.LoggedModelSearchRules;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Dataset;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Order;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.OrderBy;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.store.CancellableReads;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.quarkflow.tracking.store.LoggedModelRepository.SearchRow;
import io.quarkflow.tracking.store.LoggedModelSearchSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * logged-models/search: MLflow 3's model filter, datasets and ordering, paged by keyset (MLflow pages by offset;
 * either token is opaque to its clients, and a keyset page shifts nothing when models are logged between pages).
 */
@ApplicationScoped
public class LoggedModelSearchService {

    private final CancellableReads reads;
    private final LoggedModelRepository models;
    private final LoggedModelReader reader;

    public LoggedModelSearchService(CancellableReads reads, LoggedModelRepository models, LoggedModelReader reader) {
        this.reads = reads;
        this.models = models;
        this.reader = reader;
    }

    public Uni<Page<LoggedModel>> search(List<String> experimentIds, String filter, List<Dataset> datasets,
                                         Long maxResults, List<OrderBy> orderBy, String pageToken) {
        if (experimentIds == null) {
            throw MlflowException.missing("experiment_ids");
        }
        List<Comparison> comparisons = LoggedModelSearchRules.filter(filter);
        List<Dataset> validDatasets = LoggedModelSearchRules.datasets(datasets);
        List<Order> order = LoggedModelSearchRules.orderBy(orderBy);
        int max = LoggedModelSearchRules.maxResults(maxResults);
        Long[] ids = TrackingRules.searchedExperiments(experimentIds);
        if (ids.length == 0) {
            return Uni.createFrom().item(new Page<>(List.of(), null));
        }
        KeysetPaging paging = KeysetPaging.of(LoggedModelSearchSql.tokenKeys(order), max, ids, comparisons,
                validDatasets, order);
        return reads.run(conn -> models.search(conn, LoggedModelSearchSql.build(ids, comparisons, validDatasets, order,
                        paging.after(pageToken), paging.rowsToFetch()))
                .chain(rows -> reader.withData(conn, paging.page(rows).stream().map(SearchRow::info).toList())
                        .map(found -> new Page<>(found, paging.nextToken(rows, SearchRow::sortKeys)))));
    }
}
