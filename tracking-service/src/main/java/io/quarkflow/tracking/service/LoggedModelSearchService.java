package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.LoggedModel;
import io.quarkflow.tracking.domain.LoggedModelSearchRules;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Dataset;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.Order;
import io.quarkflow.tracking.domain.LoggedModelSearchRules.OrderBy;
import io.quarkflow.tracking.domain.PageToken;
import io.quarkflow.tracking.domain.SearchFilter.Comparison;
import io.quarkflow.tracking.domain.TrackingRules;
import io.quarkflow.tracking.store.LoggedModelRepository;
import io.quarkflow.tracking.store.LoggedModelRepository.SearchRow;
import io.quarkflow.tracking.store.LoggedModelSearchSql;
import io.quarkflow.tracking.store.SortKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * logged-models/search: MLflow 3's model filter, datasets and ordering, paged by keyset (MLflow pages by offset;
 * either token is opaque to its clients, and a keyset page shifts nothing when models are logged between pages).
 */
@ApplicationScoped
public class LoggedModelSearchService {

    private final Pool pool;
    private final LoggedModelRepository models;
    private final LoggedModelReader reader;

    public LoggedModelSearchService(Pool pool, LoggedModelRepository models, LoggedModelReader reader) {
        this.pool = pool;
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
        // Built from strings only, so every replica computes the same fingerprint for the same search.
        String fingerprint = Integer.toHexString((List.of(ids) + "|" + comparisons + "|" + validDatasets + "|" + order)
                .hashCode());
        List<SortKey> keys = LoggedModelSearchSql.tokenKeys(order);
        List<Object> after = SortKey.typed(keys, PageToken.decodeKeys(pageToken, fingerprint, keys.size()));
        return models.search(pool, LoggedModelSearchSql.build(ids, comparisons, validDatasets, order, after, max + 1))
                .chain(rows -> {
                    List<SearchRow> page = rows.size() > max ? rows.subList(0, max) : rows;
                    String next = rows.size() > max ? PageToken.encodeKeys(fingerprint,
                            page.get(max - 1).sortKeys().stream().map(String::valueOf).toList()) : null;
                    return reader.withData(pool, page.stream().map(SearchRow::info).toList())
                            .map(found -> new Page<>(found, next));
                });
    }
}
